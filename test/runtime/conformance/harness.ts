/**
 * The TypeScript side of the conformance suite: each case is the twin of a function in cases.py,
 * run under loopscope's run() with the virtual clock (1 tick = 1 ms of loop time), logging the same
 * lines in the same format, so the logs can be compared with the ones CPython produced (golden.json).
 */
import { run, getRunningLoop, ExceptionGroup, Future, type Coroutine, type Task } from 'loopscope';

export class Boom extends Error {
  override name = 'Boom';
}

export interface Log {
  (...parts: unknown[]): void;
  now(): number;
  lines: string[];
}

/** JS has no ValueError; the runtime throws RangeError where asyncio raises ValueError. */
const PY_NAMES: Record<string, string> = { RangeError: 'ValueError' };

export function ename(e: unknown): string {
  const n = e instanceof Error ? e.name : typeof e;
  return PY_NAMES[n] ?? n;
}

export function fmt(v: unknown): string {
  if (v instanceof ExceptionGroup) return `ExceptionGroup[${v.errors.map(fmt).join(', ')}]`;
  if (v instanceof Error) return `${ename(v)}(${v.message})`;
  if (v instanceof Set) v = [...v].sort();
  if (Array.isArray(v)) return `[${v.map(fmt).join(',')}]`;
  if (v === undefined) return 'null';
  return JSON.stringify(v);
}

export function names(tasks: Iterable<Future<unknown>>): string {
  return `[${[...tasks].map((t) => (t as Task<unknown>).getName()).sort().join(',')}]`;
}

export type Case = (log: Log) => Coroutine<unknown>;

export async function runCase(fn: Case): Promise<string[]> {
  const lines: string[] = [];
  let t0 = 0;
  const log = ((...parts: unknown[]) => {
    lines.push(parts.map(String).join(' '));
  }) as Log;
  log.lines = lines;
  log.now = () => Math.round(getRunningLoop().time() - t0);
  function* main(): Coroutine<unknown> {
    t0 = getRunningLoop().time();
    return yield* fn(log);
  }
  try {
    const r = await run(main(), { clock: 'virtual' });
    log('main ->', fmt(r));
  } catch (e) {
    log('main !', fmt(e));
  }
  return lines;
}
