import { SLEEP0_AWAITER, Sleep0Awaiter, SleepAwaiter } from './awaiters';
import type { Coroutine } from './coroutine';

/**
 * Suspends the calling task for `ms` milliseconds of loop time, then returns `value`.
 * `sleep(0)` gives up the loop for exactly one iteration, letting every other ready task run once.
 * Like any coroutine, it does nothing until awaited with `yield*`.
 */
export function sleep<T = undefined>(ms: number, value?: T): Coroutine<T> {
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError(`sleep(): ms must be a number, got ${String(ms)}`);
  if (ms > 0) return new SleepAwaiter(ms, value as T);
  return value === undefined ? (SLEEP0_AWAITER as Coroutine<T>) : new Sleep0Awaiter(value as T);
}
