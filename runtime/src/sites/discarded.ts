/**
 * The transform's step for forgotten coroutines: a call whose value is thrown away. Calling a
 * coroutine function without `yield*` (`worker(1);`) makes a generator object that nothing ever
 * runs, silently; asyncio warns "coroutine 'worker' was never awaited". A call in statement
 * position (an expression statement, also at module top level and inside plain and arrow
 * functions) or under `void` is discarded by definition, so its value is handed to the shared
 * object's `f` (key.ts) on its way to nowhere: `worker(1);` becomes `S.f(worker(1), site, "worker");`,
 * and `f` notes the site when the value is a generator object. A generator made to be iterated and
 * then thrown away unstarted is the only false positive, and it is never run either.
 *
 * Awaited, assigned, returned or passed-on calls are not touched: their value is used.
 */
import type MagicString from 'magic-string';
import type { Node } from 'acorn';

type AnyNode = Node & Record<string, any>;

/** Longest name written for a callee that has none (`table[key]()`: its text). */
const MAX_NAME = 60;

/**
 * Wraps `expr` (an expression statement's expression, or `void`'s argument) when it is a call or a
 * `new`. `site(pos)` records a 'discard' site at that offset and returns its id; `S` and `B` are the
 * module's names for the shared object and its site base.
 */
export function wrapDiscarded(expr: AnyNode, code: string, s: MagicString, site: (pos: number) => number, S: string, B: string, mayBeCoroutine: (callee: AnyNode) => boolean): void {
  let call = expr;
  if (call.type === 'ChainExpression') call = call.expression; // `worker?.()`, `obj?.run()`
  if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return;
  let callee = call.callee as AnyNode;
  // `super(...)` must stay a statement of its own; its value is `this` anyway.
  if (callee.type === 'Super') return;
  // CommonJS output calls imports as `(0, import_x.worker)(...)`.
  if (callee.type === 'SequenceExpression') callee = callee.expressions[callee.expressions.length - 1];
  if (!mayBeCoroutine(callee)) return;
  const nameNode = callee.type === 'MemberExpression' && !callee.computed ? callee.property : callee;
  const id = site(nameNode.start);
  // prependRight: after anything appended left at this offset (a frame's `const $d=…;` when the
  // call is the body's first statement), so the wrap opens right before the call itself.
  s.prependRight(expr.start, `${S}.f(`);
  s.appendLeft(expr.end, `,${B}+${id},${JSON.stringify(calleeName(callee, code))})`);
}

/** The called function's name as a user reads it: `worker`, `fetch` of `this.fetch`, else the callee's text. */
function calleeName(callee: AnyNode, code: string): string {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') {
    const p = callee.property as AnyNode;
    if (!callee.computed && (p.type === 'Identifier' || p.type === 'PrivateIdentifier')) return p.name;
    if (p.type === 'Literal' && (typeof p.value === 'string' || typeof p.value === 'number')) return String(p.value);
  }
  const text = code.slice(callee.start, callee.end).replace(/\s+/g, ' ');
  return text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text;
}

/**
 * Which discarded calls can make a coroutine, from the module alone: a call of a name this module
 * declares as a generator function (or method), or of anything it imports (an import binding, a
 * `require()`d module's member). Only those are wrapped: `map.set(k, v);` in a hot loop paid
 * ~10 ns a call for a check that could never find a coroutine. (A coroutine function reached
 * another way, a parameter say, goes unreported.)
 */
export function coroutineCallees(ast: AnyNode): (callee: AnyNode) => boolean {
  const generators = new Set<string>();
  const imported = new Set<string>();
  const visit = (node: AnyNode): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
        if (node.generator && !node.async && node.id) generators.add(node.id.name);
        break;
      case 'VariableDeclarator':
        if (node.id?.type === 'Identifier' && node.init) {
          const init = node.init as AnyNode;
          if (init.type === 'FunctionExpression' && init.generator && !init.async) generators.add(node.id.name);
          if (init.type === 'CallExpression' && init.callee?.type === 'Identifier' && init.callee.name === 'require') imported.add(node.id.name);
          // esbuild's CommonJS: `var import_x = __toESM(require("x"))`.
          if (init.type === 'CallExpression' && init.arguments?.[0]?.type === 'CallExpression' && init.arguments[0].callee?.name === 'require') imported.add(node.id.name);
        }
        break;
      case 'MethodDefinition':
      case 'Property':
        if (node.value?.type === 'FunctionExpression' && node.value.generator && !node.value.async && !node.computed) {
          const k = node.key as AnyNode;
          if (k.type === 'Identifier' || k.type === 'PrivateIdentifier') generators.add(k.name);
          else if (k.type === 'Literal') generators.add(String(k.value));
        }
        break;
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        imported.add(node.local.name);
        break;
    }
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c.type === 'string') visit(c);
      } else if (v && typeof v.type === 'string') visit(v);
    }
  };
  visit(ast);
  return (callee) => {
    if (callee.type === 'Identifier') return generators.has(callee.name) || imported.has(callee.name);
    if (callee.type === 'MemberExpression' && !callee.computed) {
      const p = callee.property as AnyNode;
      if (generators.has(p.name)) return true;
      return callee.object?.type === 'Identifier' && imported.has(callee.object.name);
    }
    return false;
  };
}
