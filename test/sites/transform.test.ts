/**
 * The await-site transform (runtime/src/sites/transform.ts) on its own: what it changes, what it must
 * not change (values, evaluation order, directives, lines and the source map), and the sites it
 * records, as a task running the transformed code sees them.
 */
import { describe, it, expect, beforeEach } from 'vitest';
import { transformSync } from 'esbuild';
import { TraceMap, originalPositionFor, generatedPositionFor } from '@jridgewell/trace-mapping';
import { transformCoroutines } from '../../runtime/src/sites/transform';
import { instrumentFile } from '../../runtime/src/sites/instrumentFile';
import { sitesGlobal, siteStack, siteInfo } from '../../runtime/src/sites/registry';
import { userFrames } from '../../runtime/src/stacks';

/** A task as the transform's helpers see it, on a loop whose current task it is. */
function fakeTask(): { _sites: number[] | null; _depth: number; _steps: number } {
  return { _sites: null, _depth: 0, _steps: 1 };
}

/** Compiles TypeScript as tsx does (with an inline map), transforms it, and evaluates it as CommonJS. */
function load(ts: string, file = '/virtual/prog.ts'): { exports: Record<string, any>; code: string; map: any } {
  const js = transformSync(ts, { loader: 'ts', format: 'cjs', sourcemap: 'inline', sourcefile: file }).code;
  const r = transformCoroutines(js, file.replace(/\.ts$/, '.js'));
  if (r === null) throw new Error('nothing transformed');
  const module = { exports: {} as Record<string, any> };
  const fakeRequire = (id: string): unknown => {
    if (id === 'loopscope') return { createTask: () => undefined };
    throw new Error(`unexpected require(${id})`);
  };
  new Function('module', 'exports', 'require', r.code)(module, module.exports, fakeRequire);
  return { exports: module.exports, code: r.code, map: r.map };
}

describe('the await-site transform', () => {
  let task: ReturnType<typeof fakeTask>;
  beforeEach(() => {
    task = fakeTask();
    sitesGlobal().loop = { _currentTask: task };
  });

  it('records each frame of the await chain at its TypeScript line, outermost first, as the task suspends', () => {
    const { exports } = load(
      [
        'export function* inner(): Generator<any, number, any> {', // 1
        '  const v = yield* leaf();', // 2
        '  return v;', // 3
        '}', // 4
        'export function* outer(): Generator<any, number, any> {', // 5
        '  const a = 1;', // 6
        '  return (yield* inner()) + a;', // 7
        '}', // 8
        'function* leaf(): Generator<any, number, any> { return (yield "suspend") as number; }', // 9
      ].join('\n'),
    );
    const gen = exports.outer();
    expect(gen.next()).toEqual({ value: 'suspend', done: false });
    const frames = userFrames(siteStack(task)!);
    expect(frames.map((f) => [f.function, f.line])).toEqual([
      ['leaf', 9],
      ['inner', 2],
      ['outer', 7],
    ]);
    expect(frames.every((f) => f.file === '/virtual/prog.ts')).toBe(true);
    // Values go through untouched: 41 sent into the innermost yield comes back out of the chain + 1.
    expect(gen.next(41)).toEqual({ value: 42, done: true });
  });

  it('keeps the chain right after an inner frame returns or throws', () => {
    const { exports } = load(
      [
        'function* thrower(): Generator<any, void, any> { yield "t"; throw new Error("x"); }', // 1
        'export function* main(): Generator<any, string, any> {', // 2
        '  try {', // 3
        '    yield* thrower();', // 4
        '  } catch {', // 5
        '    yield "after";', // 6
        '  }', // 7
        '  return "ok";', // 8
        '}', // 9
      ].join('\n'),
    );
    const gen = exports.main();
    gen.next();
    expect(userFrames(siteStack(task)!).map((f) => f.line)).toEqual([1, 4]);
    expect(gen.next()).toEqual({ value: 'after', done: false });
    expect(userFrames(siteStack(task)!).map((f) => f.line)).toEqual([6]);
    expect(gen.next()).toEqual({ value: 'ok', done: true });
  });

  it('evaluates the awaited expression before recording (nested generators inside it do not disturb the chain)', () => {
    const { exports } = load(
      [
        'function* numbers() { yield* [1, 2, 3]; }', // 1: a plain iterator generator
        'export function* main(): Generator<any, number, any> {', // 2
        '  const got = yield [...numbers()].length;', // 3
        '  return got;', // 4
        '}', // 5
      ].join('\n'),
    );
    const gen = exports.main();
    expect(gen.next()).toEqual({ value: 3, done: false });
    expect(userFrames(siteStack(task)!).map((f) => f.line)).toEqual([3]);
  });

  it('changes nothing a program can observe: directives, this, arguments, async generators, methods', () => {
    const { exports } = load(
      [
        'export function* strict(this: unknown) { "use strict"; yield this === undefined; }',
        'export async function* agen() { yield* [1]; }',
        'export const obj = { *m(x: number) { return (yield x) as number; }, ["c" + 1]: function* () { yield arguments.length; } };',
        'export class K { *gen() { yield this instanceof K; } static *s() { yield 7; } }',
      ].join('\n'),
    );
    expect(exports.strict.call(undefined).next().value).toBe(true);
    expect(exports.agen.toString()).not.toContain('__loopscope');
    expect(exports.obj.m(5).next().value).toBe(5);
    expect(exports.obj.c1(1, 2).next().value).toBe(2);
    expect(new exports.K().gen().next().value).toBe(true);
    expect(exports.K.s().next().value).toBe(7);
  });

  it('maps every original line back to itself through the composed source map', () => {
    const ts = ['export function* a(): Generator<any, void, any> {', '  const x = yield* b();', '  console.log(x);', '}', 'function* b(): Generator<any, number, any> {', '  return (yield 1) as number;', '}'].join('\n');
    const { map } = load(ts);
    const tm = new TraceMap(map);
    for (const [line, needle] of [
      [2, 'yield*'],
      [3, 'console'],
      [6, 'return'],
    ] as const) {
      const col = ts.split('\n')[line - 1].indexOf(needle);
      const gen = generatedPositionFor(tm, { source: map.sources[0], line, column: col });
      expect(gen.line, `line ${line}`).not.toBeNull();
      const back = originalPositionFor(tm, { line: gen.line!, column: gen.column! });
      expect(back.line).toBe(line);
    }
  });

  it('marks task-creating calls: the creation site is the call line', () => {
    const { code } = load(['import { createTask } from "loopscope";', 'export function* main() {', '  createTask(main(), { name: "x" });', '  yield 1;', '}'].join('\n'));
    // esbuild's CommonJS calls an import as (0, x.createTask)(...), as tsx runs a .ts file in a CommonJS package.
    expect(code).toMatch(/createTask\)?\(main\(\), __loopscope\$S\.m\(/);
    const s = sitesGlobal();
    // (The module's sites are the last registered: the creation's, the discarded statement's, the yield's.)
    const created = [s.n - 3, s.n - 2, s.n - 1].map(siteInfo).find((x) => x?.kind === 'create');
    expect(created).toMatchObject({ line: 3, kind: 'create' });
  });

  it('runs a file it cannot parse as it is, with a note naming the file', () => {
    const bad = 'function* f() { yield* ; }';
    const out = instrumentFile(bad, '/virtual/bad.js');
    expect(out.code).toBe(bad);
    expect(out.note).toMatch(/\/virtual\/bad\.js runs uninstrumented .*Unexpected token/);
  });

  it('leaves a file with no coroutine alone, and never instruments twice', () => {
    const plain = 'const x = 1; function f() { return x; }';
    expect(instrumentFile(plain, '/virtual/plain.js').code).toBe(plain);
    const once = instrumentFile('function* g() { yield 1; }', '/virtual/g.js').code;
    expect(instrumentFile(once, '/virtual/g.js').code).toBe(once);
  });
});
