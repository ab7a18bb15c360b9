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
export function wrapDiscarded(expr: AnyNode, code: string, s: MagicString, site: (pos: number) => number, S: string, B: string): void {
  let call = expr;
  if (call.type === 'ChainExpression') call = call.expression; // `worker?.()`, `obj?.run()`
  if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return;
  let callee = call.callee as AnyNode;
  // `super(...)` must stay a statement of its own; its value is `this` anyway.
  if (callee.type === 'Super') return;
  // CommonJS output calls imports as `(0, import_x.worker)(...)`.
  if (callee.type === 'SequenceExpression') callee = callee.expressions[callee.expressions.length - 1];
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
