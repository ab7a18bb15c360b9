/**
 * Forgotten coroutines (runtime/src/sites/discarded.ts, key.ts `f`, agent/neverAwaited.ts): a call
 * in statement position or under `void` hands its value to `f`, which notes it only when it is a
 * generator object, with the call's line and the called name; every value passes through as it was.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { transformSync } from 'esbuild';
import { transformCoroutines } from '../../runtime/src/sites/transform';
import { sitesGlobal, siteInfo } from '../../runtime/src/sites/registry';
import { NEVER_AWAITED_KEPT } from '../../runtime/src/sites/key';
import { NeverAwaitedReader, MAX_REPORTED_SITES } from '../../runtime/src/agent/neverAwaited';

/** Compiles TypeScript as tsx does (CommonJS with an inline map), transforms it, and runs it. */
function load(ts: string, file = '/virtual/forgot.ts', requires: Record<string, unknown> = {}): { exports: Record<string, any>; code: string } {
  const js = transformSync(ts, { loader: 'ts', format: 'cjs', sourcemap: 'inline', sourcefile: file }).code;
  const r = transformCoroutines(js, file.replace(/\.ts$/, '.js'));
  if (r === null) throw new Error('nothing transformed');
  const module = { exports: {} as Record<string, any> };
  const fakeRequire = (id: string): unknown => {
    if (id in requires) return requires[id];
    throw new Error(`unexpected require(${id})`);
  };
  new Function('module', 'exports', 'require', r.code)(module, module.exports, fakeRequire);
  return { exports: module.exports, code: r.code };
}

/** What `f` noted since `from` (its count before): [name, line, kind, function] of each. */
function notedSince(from: number): [string, number, string | undefined, string | undefined][] {
  const s = sitesGlobal();
  const out: [string, number, string | undefined, string | undefined][] = [];
  for (let k = from; k < s.gn; k++) {
    const i = (k % NEVER_AWAITED_KEPT) * 2;
    const site = siteInfo(s.g[i] as number);
    out.push([s.g[i + 1] as string, site?.line ?? -1, site?.kind, site?.function]);
  }
  return out;
}

describe('forgotten coroutines in the await-site transform', () => {
  let before: number;
  beforeEach(() => {
    sitesGlobal().loop = null;
    before = sitesGlobal().gn;
  });

  it('notes a coroutine called without yield*, at its line, in generators, plain and arrow functions, methods and the top level', () => {
    const { exports } = load(
      [
        'function* worker(n: number): Generator<any, number, any> { yield n; return n; }', // 1
        'worker(0);', // 2: top level
        'export function* main(): Generator<any, void, any> {', // 3
        '  worker(1);', // 4: the classic
        '  yield* worker(2);', // 5: awaited: not noted
        '}', // 6
        'export function plain() { worker(3); }', // 7
        'export const arrow = () => { void worker(4); };', // 8
        'export class Crawler { *fetch(): Generator<any, void, any> { yield 1; } run() { this.fetch(); } }', // 9
      ].join('\n'),
    );
    expect(notedSince(before)).toEqual([['worker', 2, 'discard', '']]);
    const gen = exports.main();
    gen.next();
    gen.next();
    gen.next();
    exports.plain();
    exports.arrow();
    new exports.Crawler().run();
    expect(notedSince(before).slice(1)).toEqual([
      ['worker', 4, 'discard', 'main'],
      ['worker', 7, 'discard', 'plain'],
      ['worker', 8, 'discard', ''], // (the transform names no arrow function)
      ['fetch', 9, 'discard', 'run'],
    ]);
  });

  it('names an imported coroutine by its name (CommonJS calls it as (0, x.name)(...))', () => {
    function* sleep(): Generator<number, void, unknown> {
      yield 1;
    }
    load(['import { sleep } from "loopscope";', 'export function* main() { yield 0; }', 'sleep(10);'].join('\n'), '/virtual/imp.ts', { loopscope: { sleep } });
    expect(notedSince(before)).toEqual([['sleep', 3, 'discard', '']]);
  });

  it('notes nothing for values that are used, or that are not coroutines', () => {
    const { exports } = load(
      [
        'function* worker(): Generator<any, number, any> { yield 1; return 1; }',
        'async function* agen() { yield 1; }',
        'const it = { next() { return { done: true, value: 0 }; }, throw() {}, [Symbol.toStringTag]: "Generator" };',
        'export const log: unknown[] = [];',
        'export function* main(): Generator<any, void, any> {',
        '  const kept = worker();', // assigned
        '  log.push(kept);', // a call whose value is a number
        '  log.push(worker());', // passed on
        '  agen();', // an async generator is not a coroutine here
        '  (() => it)();', // looks like a generator, is not one
        '  new Map();', // an object
        '  yield* worker();', // awaited
        '  return void 0;',
        '}',
        'export function ret() { return worker(); }',
        'export const concise = () => worker();', // an arrow's value is returned
      ].join('\n'),
    );
    const gen = exports.main();
    while (!gen.next().done);
    exports.ret();
    exports.concise();
    expect(notedSince(before)).toEqual([]);
    expect(exports.log.length).toBe(2);
  });

  it('wraps only calls that can make a coroutine: module generators, their methods, imports (a hot map.set(k, v); costs nothing)', () => {
    const js = [
      'import { helper } from "./elsewhere";',
      'import * as lib from "./lib";',
      'function* worker() { yield 1; }',
      'class K { *step() { yield 2; } run() { this.step(); } }',
      'const m = new Map();',
      'for (let i = 0; i < 3; i++) m.set(i, i);',
      'console.log("x");',
      'worker();',
      'helper();',
      'lib.job();',
    ].join('\n');
    const out = transformCoroutines(js, '/virtual/which.js', { sourceType: 'module' })!.code;
    expect(out).not.toMatch(/\.f\(m\.set/);
    expect(out).not.toMatch(/\.f\(console\.log/);
    for (const call of ['worker()', 'helper()', 'lib.job()', 'this.step()']) expect(out).toContain(`.f(${call}`);
  });

  it('hands every value through unchanged and keeps evaluation order (a statement call runs once, side effects and all)', () => {
    const { exports } = load(
      [
        'export const order: string[] = [];',
        'function note(s: string) { order.push(s); return s; }',
        'function* worker(): Generator<any, void, any> { note("ran"); yield 1; }',
        'export function* main(): Generator<any, string, any> {',
        '  note("a"), note("b");', // a sequence: not a call
        '  note("c");',
        '  worker();', // never runs, as without the transform
        '  const p = { f: () => note("d") };',
        '  p.f?.();',
        '  return (yield* [note("e")], "done");',
        '}',
      ].join('\n'),
    );
    const gen = exports.main();
    let r = gen.next();
    while (!r.done) r = gen.next();
    expect(r.value).toBe('done');
    expect(exports.order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(notedSince(before).map((x) => x[0])).toEqual(['worker']);
  });

  it('keeps a frame working when the discarded call is the first statement of a coroutine', () => {
    const { exports, code } = load(['function* w(): Generator<any, void, any> { yield 1; }', 'export function* main() {w(); yield* w(); }'].join('\n'));
    expect(code).toMatch(/const __loopscope\$d=__loopscope\$S\.d\(\);\s*__loopscope\$S\.f\(w\(\)/);
    const gen = exports.main();
    expect(gen.next()).toEqual({ value: 1, done: false });
    expect(notedSince(before)).toEqual([['w', 2, 'discard', 'main']]);
  });

  it('lets a Proxy whose traps throw go by, as any other value', () => {
    const { exports } = load(
      [
        'function* w(): Generator<any, void, any> { yield 1; }',
        'const hostile = new Proxy({}, { getPrototypeOf() { throw new Error("no"); } });',
        'export function* main() { (() => hostile)(); yield 1; }',
      ].join('\n'),
    );
    expect(exports.main().next()).toEqual({ value: 1, done: false });
    expect(notedSince(before)).toEqual([]);
  });
});

describe("the agent's reader of never-awaited coroutines", () => {
  it('reports each call site once, and counts what the bounded ring lost', () => {
    const reader = new NeverAwaitedReader();
    // Whatever earlier tests noted is read first.
    while (reader.take() !== null);
    const { exports } = load(
      [
        'function* w(): Generator<any, void, any> { yield 1; }',
        'export function many(n: number) { for (let i = 0; i < n; i++) w(); }', // 2
        'export function once() { w(); }', // 3
      ].join('\n'),
      '/virtual/many.ts',
    );
    exports.many(3);
    exports.once();
    const m = reader.take();
    expect(m).toEqual({
      type: 'neverAwaited',
      coroutines: [
        { name: 'w', location: { file: '/virtual/many.ts', line: 2, column: expect.any(Number), function: 'many' } },
        { name: 'w', location: { file: '/virtual/many.ts', line: 3, column: expect.any(Number), function: 'once' } },
      ],
    });
    expect(reader.take()).toBeNull();
    // Sent once: the same sites again are not news.
    exports.many(5);
    expect(reader.take()).toBeNull();
    // More than the ring keeps between two reads: the overwritten ones are counted.
    exports.many(NEVER_AWAITED_KEPT + 250);
    exports.once();
    // (NEVER_AWAITED_KEPT + 251 noted, the ring keeps the last NEVER_AWAITED_KEPT.)
    expect(reader.take()).toEqual({ type: 'neverAwaited', coroutines: [], dropped: 251 });
    expect(MAX_REPORTED_SITES).toBeGreaterThanOrEqual(NEVER_AWAITED_KEPT);
  });
});
