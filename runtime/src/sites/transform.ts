/**
 * The load-time source transform that gives every suspension point of a coroutine a site id, as
 * Kotlin's compiler records each suspension point's line: the debugger then knows exactly where
 * every task waits, down its whole await chain, without capturing a JavaScript stack.
 *
 * For each non-async `function*` (declarations, expressions, methods):
 *   - its body starts with `const $d = S.d();`: the frame's depth in its task's await chain (the
 *     caller's `yield*` set it just before starting this generator);
 *   - every `yield* X` becomes `yield* S.a(X, site, $d)` and every `yield X` becomes
 *     `yield S.a(X, site, $d)`: X is evaluated first, then `a` stores the site at the frame's depth
 *     in the running task (one store and a depth) and hands X back unchanged.
 * Calls that create tasks (`createTask(...)`, `gather(...)`, `tg.createTask(...)`, …) get their
 * last argument wrapped in `S.m(arg, site, $d)`, evaluated after the arguments before it and just
 * before the call: the task created next in that step was created at that line.
 *
 * Nothing else changes: values pass through untouched, evaluation order is kept, lines stay where
 * they were, and the output carries a source map composed with the input's, so breakpoints, stack
 * traces and stepping land on the user's lines. Each site's original position (through the input's
 * source map: the TypeScript line under tsx) is worked out here, once, and registered by the module
 * itself when it runs (`S.reg(...)`); the runtime maps no position at run time.
 */
import { parse, type Node } from 'acorn';
import MagicString from 'magic-string';
import remapping from '@jridgewell/remapping';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { BOOT } from './key';
import { wrapDiscarded, coroutineCallees } from './discarded';

/** One suspension or creation point, in the original source. */
export interface SiteInfo {
  file: string;
  line: number;
  column: number;
  /** The enclosing function's name ('' if anonymous). */
  fn: string;
  /** 'await' for a yield* or yield, 'create' for a task-creating call, 'discard' for a call whose value is thrown away (discarded.ts). */
  kind: 'await' | 'create' | 'discard';
}

export interface TransformResult {
  code: string;
  /** The composed source map (output → the input's original sources). */
  map: object;
  sites: SiteInfo[];
}

export interface TransformOptions {
  /** The input's source map (an object or JSON), when not inline in the code. */
  inputMap?: object | string | null;
  /** 'module' (ESM), 'commonjs' or 'script'; decides how the code is parsed. */
  sourceType?: 'module' | 'script';
}

/** Calls whose last argument becomes a task (or tasks) in the runtime. */
// (Not run(): the main task is "created by run()", which the views say without a line.)
const CREATORS = new Set(['createTask', 'create_task', 'ensureFuture', 'ensure_future', 'gather', 'shield', 'waitFor', 'wait_for', 'asCompleted', 'as_completed', 'wait']);

/** Local names in the output: unlikely to meet a user's. */
const S = '__loopscope$S';
/** The start of the header: code that has it was instrumented already. */
export const INSTRUMENTED_MARK = `var ${S}=`;
const B = '__loopscope$B';
const D = '__loopscope$d';

/** A quick test before parsing: a file with no generator cannot need the transform. */
export function mayNeedTransform(code: string): boolean {
  return code.includes('function*') || /\*\s*\[?[\w$"'`]+\]?\s*\(/.test(code) ? /\byield\b/.test(code) : false;
}

type AnyNode = Node & Record<string, any>;

/** `//# sourceMappingURL=data:...;base64,...` at the end of the code, decoded (null: none inline). */
export function inlineSourceMap(code: string): { map: object; start: number; end: number } | null {
  const re = /\/\/[#@] sourceMappingURL=data:application\/json(?:;charset=[\w-]+)?;base64,([A-Za-z0-9+/=]+)\s*$/;
  const m = re.exec(code);
  if (!m) return null;
  try {
    return { map: JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')), start: m.index, end: m.index + m[0].length };
  } catch {
    return null;
  }
}

/** The `sourceMappingURL` comment naming a separate map file (null: none). */
export function externalSourceMapUrl(code: string): { url: string; start: number; end: number } | null {
  const re = /\/\/[#@] sourceMappingURL=(?!data:)(\S+)\s*$/;
  const m = re.exec(code);
  return m ? { url: m[1], start: m.index, end: m.index + m[0].length } : null;
}

/**
 * Transforms one module. Returns null when it has no coroutine to instrument. Throws (with the
 * parser's message) when it cannot be parsed: the caller runs it untransformed and says so.
 */
export function transformCoroutines(code: string, filename: string, options: TransformOptions = {}): TransformResult | null {
  if (!mayNeedTransform(code)) return null;
  const inline = inlineSourceMap(code);
  const external = inline === null ? externalSourceMapUrl(code) : null;
  const inputMapRaw = options.inputMap ?? inline?.map ?? null;
  const inputMap = inputMapRaw === null ? null : typeof inputMapRaw === 'string' ? JSON.parse(inputMapRaw) : inputMapRaw;
  const ast = parseAny(code, options.sourceType);
  // Statement calls that could make a coroutine (discarded.ts): the rest are left alone, costing nothing.
  const mayBeCoroutine = coroutineCallees(ast as AnyNode);

  const s = new MagicString(code);
  const sites: SiteInfo[] = [];
  const lines = lineStarts(code);
  const tracer = inputMap !== null ? safeTraceMap(inputMap, filename) : null;

  const siteAt = (pos: number, fn: string, kind: SiteInfo['kind']): number => {
    const { line, column } = lineColumn(lines, pos);
    let file = filename.startsWith('file://') ? fileURLToPath(filename) : filename;
    let oLine = line;
    let oColumn = column + 1;
    if (tracer !== null) {
      const o = originalPositionFor(tracer, { line, column });
      if (o.source !== null && o.line !== null) {
        file = o.source.startsWith('file://') ? fileURLToPath(o.source) : o.source;
        oLine = o.line;
        oColumn = (o.column ?? 0) + 1;
      }
    }
    sites.push({ file, line: oLine, column: oColumn, fn, kind });
    return sites.length - 1;
  };

  interface Ctx {
    /** Directly inside a non-async generator: its yields are suspension points. */
    gen: boolean;
    fn: string;
    /** The coroutine frame: whether it needs its depth declared. */
    frame: { used: boolean } | null;
  }
  const TOP: Ctx = { gen: false, fn: '', frame: null };

  const walk = (node: AnyNode | null | undefined, ctx: Ctx): void => {
    if (node === null || node === undefined || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const coroutine = node.type !== 'ArrowFunctionExpression' && node.generator === true && node.async !== true && node.body.type === 'BlockStatement';
        const inner: Ctx = { gen: coroutine, fn: node.id?.name ?? ctx.fn, frame: coroutine ? { used: false } : null };
        for (const p of node.params) walk(p, { ...inner, gen: false, frame: null });
        walk(node.body, inner);
        if (coroutine && inner.frame!.used) {
          // After the body's directive prologue ("use strict" must stay first).
          let at = node.body.start + 1;
          for (const st of node.body.body) {
            if (st.type === 'ExpressionStatement' && typeof st.directive === 'string') at = st.end;
            else break;
          }
          s.appendLeft(at, `const ${D}=${S}.d();`);
        }
        return;
      }
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'Property': {
        if (node.computed) walk(node.key, ctx);
        const key = node.key?.type === 'Identifier' || node.key?.type === 'PrivateIdentifier' ? node.key.name : node.key?.type === 'Literal' ? String(node.key.value) : ctx.fn;
        walk(node.value, { ...ctx, fn: key });
        return;
      }
      case 'YieldExpression': {
        if (!ctx.gen) break;
        ctx.frame!.used = true;
        const id = siteAt(node.start, ctx.fn, 'await');
        if (node.argument) {
          walk(node.argument, ctx);
          s.appendLeft(node.argument.start, `${S}.a(`);
          s.appendRight(node.argument.end, `,${B}+${id},${D})`);
        } else {
          // A bare `yield`: its value is undefined either way.
          s.appendLeft(node.end, ` ${S}.a(void 0,${B}+${id},${D})`);
        }
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        walkChildren(node, ctx);
        markCreation(node, ctx);
        return;
      }
      // A call whose value nobody takes: a coroutine made there is never awaited (discarded.ts).
      case 'ExpressionStatement':
      case 'UnaryExpression': {
        walkChildren(node, ctx);
        const expr = node.type === 'ExpressionStatement' ? node.expression : node.operator === 'void' ? node.argument : null;
        if (expr !== null) wrapDiscarded(expr, code, s, (pos) => siteAt(pos, ctx.fn, 'discard'), S, B, mayBeCoroutine);
        return;
      }
    }
    walkChildren(node, ctx);
  };

  const walkChildren = (node: AnyNode, ctx: Ctx): void => {
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c.type === 'string') walk(c, ctx);
      } else if (v && typeof v.type === 'string') walk(v, ctx);
    }
  };

  const markCreation = (node: AnyNode, ctx: Ctx): void => {
    let callee = node.callee as AnyNode;
    // CommonJS output calls imports as `(0, import_x.createTask)(...)`.
    if (callee.type === 'SequenceExpression') callee = callee.expressions[callee.expressions.length - 1];
    const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed ? callee.property.name : null;
    if (name === null) return;
    if (node.type === 'NewExpression' ? name !== 'Task' : !CREATORS.has(name)) return;
    const args = node.arguments as AnyNode[];
    if (args.length === 0) return;
    const last = args[args.length - 1];
    const target = last.type === 'SpreadElement' ? last.argument : last;
    // At the callee's name: CommonJS output's `(0, x.createTask)(` starts where no source line is mapped.
    const nameNode = callee.type === 'MemberExpression' ? callee.property : callee;
    const id = siteAt(nameNode.start, ctx.fn, 'create');
    if (ctx.gen) ctx.frame!.used = true;
    s.appendLeft(target.start, `${S}.m(`);
    s.appendRight(target.end, `,${B}+${id},${ctx.gen ? D : '-1'})`);
  };

  for (const st of (ast as AnyNode).body) walk(st, TOP);
  if (sites.length === 0) return null;

  // The module's own registration, after its directive prologue (and a hashbang, which is not a statement).
  const header = `var ${S}=${BOOT},${B}=${S}.reg(${JSON.stringify(filename)},${JSON.stringify(JSON.stringify(packSites(sites)))},${sites.length});`;
  let headerAt = 0;
  for (const st of (ast as AnyNode).body) {
    if (st.type === 'ExpressionStatement' && typeof st.directive === 'string') headerAt = st.end;
    else break;
  }
  if (headerAt === 0 && code.startsWith('#!')) headerAt = code.indexOf('\n') + 1 || code.length;
  s.appendLeft(headerAt, header);

  // The old map comment goes: the output's own, composed map replaces it.
  const comment = inline ?? external;
  if (comment !== null) s.remove(comment.start, comment.end);

  const ownMap = s.generateMap({ hires: true, source: filename, file: filename, includeContent: inputMap === null });
  const map =
    inputMap !== null
      ? // The transform's map has one source, this very file (however it is spelled): the input map goes under it.
        remapping(ownMap as any, (_file, ctx) => (ctx.depth === 1 ? (inputMap as any) : null), { excludeContent: false })
      : ownMap;
  // Sources as absolute file URLs: a relative one would be resolved against whatever the reader takes as base.
  const base = filename.startsWith('file://') ? filename : pathToFileURL(filename).href;
  const m = map as { sources: (string | null)[]; file?: string };
  m.sources = m.sources.map((src) => (src === null ? null : absoluteSource(src, base)));
  delete m.file;
  const out = s.toString();
  const mapJson = JSON.stringify(map);
  const code2 = `${out}${out.endsWith('\n') ? '' : '\n'}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(mapJson).toString('base64')}\n`;
  return { code: code2, map: JSON.parse(mapJson), sites };
}

/** Sites as the registry stores them: the files once, then [fileIndex, line, column, fnIndex, kind (0 await, 1 create, 2 discard)] per site. */
function packSites(sites: SiteInfo[]): { files: string[]; names: string[]; sites: number[] } {
  const files: string[] = [];
  const names: string[] = [];
  const fi = new Map<string, number>();
  const ni = new Map<string, number>();
  const out: number[] = [];
  for (const x of sites) {
    let f = fi.get(x.file);
    if (f === undefined) fi.set(x.file, (f = files.push(x.file) - 1));
    let n = ni.get(x.fn);
    if (n === undefined) ni.set(x.fn, (n = names.push(x.fn) - 1));
    out.push(f, x.line, x.column, n, x.kind === 'await' ? 0 : x.kind === 'create' ? 1 : 2);
  }
  return { files, names, sites: out };
}

function absoluteSource(src: string, base: string): string {
  if (/^[a-z][\w+.-]*:/i.test(src) && !/^[A-Za-z]:[\\/]/.test(src)) return src;
  if (isAbsolute(src)) return pathToFileURL(src).href;
  try {
    return new URL(src, base).href;
  } catch {
    return src;
  }
}

function parseAny(code: string, sourceType?: 'module' | 'script'): Node {
  const opts = { ecmaVersion: 'latest' as const, allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowImportExportEverywhere: true };
  if (sourceType !== undefined) return parse(code, { ...opts, sourceType });
  try {
    return parse(code, { ...opts, sourceType: 'module' });
  } catch {
    // Sloppy-mode scripts (CommonJS with `with`, octal literals…) are not modules.
    return parse(code, { ...opts, sourceType: 'script' });
  }
}

function safeTraceMap(map: object, filename: string): TraceMap | null {
  try {
    return new TraceMap(map as any, filename);
  } catch {
    return null;
  }
}

function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (code.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line, 0-based column of an offset. */
function lineColumn(starts: number[], pos: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: pos - starts[lo] };
}
