import type { Future } from './future';

/**
 * What a coroutine yields to the task that drives it: a Future it blocks on, or SLEEP0
 * to give up the loop for one iteration. Users never yield these by hand; they `yield*`
 * a Future, a Task, or another coroutine.
 */
export type Yielded = Future<unknown> | typeof SLEEP0;

/**
 * A coroutine: what calling a `function*` coroutine function returns. `yield* coro`
 * inside another coroutine runs it inline and evaluates to T.
 */
export type Coroutine<T = unknown> = Generator<Yielded, T, unknown>;

/** Anything `yield*` can await: a coroutine, a Future or a Task. */
export type Awaitable<T = unknown> = Coroutine<T> | Future<T>;

/** The marker a bare "relinquish control for one loop iteration" yields (asyncio's `yield` in `__sleep0`). */
export const SLEEP0: unique symbol = Symbol('loopscope.sleep0');

/**
 * What a task sends into its coroutine when it resumes it after a SLEEP0 yield (`coro.next(RESUME)`).
 * It lets `sleep(0)` be one shared, stateless iterator: its `next(v)` yields SLEEP0 when `yield*`
 * starts it (v is undefined) and returns when the task resumes it (v is RESUME), so a switch
 * allocates nothing. Internal: not exported from the package.
 */
export const RESUME: unique symbol = Symbol('loopscope.resume');

/**
 * A coroutine's mark, set to true by the task that drives it, so that a second task on the same
 * coroutine is refused. A stateless iterator that tasks may share declares it false on its prototype.
 */
export const DRIVEN: unique symbol = Symbol('loopscope.driven');

export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Generator).throw === 'function' &&
    typeof (value as Generator)[Symbol.iterator] === 'function'
  );
}
