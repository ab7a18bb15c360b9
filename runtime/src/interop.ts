import type { Coroutine } from './coroutine';
import { Future } from './future';
import { getRunningLoop } from './running';
import { Task } from './task';
import { isCoroutine } from './coroutine';
import type { EventLoop } from './loop';

/**
 * Awaits a Promise (any thenable) inside a coroutine: `const body = yield* fromPromise(fetch(url))`.
 * The task is woken through the loop when the Promise settles, never inline. Cancelling the task
 * stops the wait; it cannot stop the Promise's own work.
 */
export function* fromPromise<T>(promise: PromiseLike<T>, label?: string): Coroutine<T> {
  return yield* wrapPromise(promise, getRunningLoop(), label);
}

/** A Future that settles with `promise`. */
export function wrapPromise<T>(promise: PromiseLike<T>, loop: EventLoop, label?: string): Future<T> {
  const fut = loop.createFuture<T>();
  fut._waitKind = 'promise';
  fut._waitOn = label ?? 'Promise';
  promise.then(
    (value) => {
      if (!fut.done() && !loop.isClosed()) fut.setResult(value);
    },
    (err) => {
      if (!fut.done() && !loop.isClosed()) fut.setException(err);
    },
  );
  return fut;
}

/**
 * asyncio.ensure_future: a Future stays as it is, a coroutine becomes a Task, a Promise is wrapped.
 */
export function ensureFuture<T>(aw: Coroutine<T> | Future<T> | PromiseLike<T>, loop: EventLoop = getRunningLoop()): Future<T> {
  if (aw instanceof Future) {
    if (aw._loop !== loop) throw new Error('The future belongs to a different loop than the one specified as the loop argument');
    return aw;
  }
  if (isCoroutine(aw)) return new Task(aw as Coroutine<T>, {}, loop);
  if (aw && typeof (aw as PromiseLike<T>).then === 'function') return wrapPromise(aw as PromiseLike<T>, loop);
  throw new TypeError(`An asyncio.Future, a coroutine or an awaitable is required, got ${Object.prototype.toString.call(aw)}`);
}
