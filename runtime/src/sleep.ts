import { SLEEP0, type Coroutine } from './coroutine';
import type { Future } from './future';
import { hooks, callHook } from './hooks';
import { getRunningLoop } from './running';

function setResultUnlessCancelled<T>(fut: Future<T>, value: T): void {
  if (!fut.cancelled()) fut.setResult(value);
}

/**
 * Suspends the calling task for `ms` milliseconds of loop time, then returns `value`.
 * `sleep(0)` gives up the loop for exactly one iteration, letting every other ready task run once.
 */
export function* sleep<T = undefined>(ms: number, value?: T): Coroutine<T> {
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError(`sleep(): ms must be a number, got ${String(ms)}`);
  if (ms <= 0) {
    if (hooks.suspending !== null || hooks.resuming !== null) {
      const task = getRunningLoop()._currentTask;
      if (task !== null && hooks.suspending !== null) callHook(hooks.suspending, task, null);
      yield SLEEP0;
      if (task !== null && hooks.resuming !== null) callHook(hooks.resuming, task, null);
    } else yield SLEEP0;
    return value as T;
  }
  const loop = getRunningLoop();
  const fut = loop.createFuture<T>();
  const handle = loop.callLater(ms, setResultUnlessCancelled, fut, value as T);
  fut._waitKind = 'sleep';
  fut._waitOn = handle;
  try {
    return yield* fut;
  } finally {
    handle.cancel();
  }
}
