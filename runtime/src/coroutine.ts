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

export function isCoroutine(value: unknown): value is Coroutine<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Generator).throw === 'function' &&
    typeof (value as Generator)[Symbol.iterator] === 'function'
  );
}
