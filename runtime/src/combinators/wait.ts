import { isCoroutine, type Coroutine } from '../coroutine';
import { Future } from '../future';
import type { TimerHandle } from '../handle';
import { getRunningLoop } from '../running';
import { tagWait } from '../waits';

export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
export const ALL_COMPLETED = 'ALL_COMPLETED';

export interface WaitOptions {
  /** Milliseconds to wait at most (null: no limit). On timeout nothing is cancelled; the pending ones are returned. */
  timeout?: number | null;
  returnWhen?: ReturnWhen;
}

/**
 * asyncio.wait: waits for the futures/tasks until `returnWhen` is met or the timeout passes, and
 * returns `[done, pending]`. It never cancels anything and never throws the futures' exceptions.
 */
export function* wait<T>(fs: Iterable<Future<T>>, options: WaitOptions = {}): Coroutine<[done: Set<Future<T>>, pending: Set<Future<T>>]> {
  if (fs instanceof Future || isCoroutine(fs) || fs == null || typeof (fs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`wait() expects an iterable of futures or tasks, not ${fs instanceof Future ? 'a single future' : typeof fs}`);
  }
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    throw new RangeError(`Invalid returnWhen value: ${String(returnWhen)}`);
  }
  const set = new Set(fs);
  if (set.size === 0) throw new RangeError('Set of Tasks/Futures is empty.');
  for (const f of set) {
    if (isCoroutine(f)) throw new TypeError('Passing coroutines to wait() is forbidden, create tasks explicitly (createTask).');
    if (!(f instanceof Future)) throw new TypeError(`wait() expects futures or tasks, got ${Object.prototype.toString.call(f)}`);
  }
  const loop = getRunningLoop();
  const timeout = options.timeout ?? null;

  const waiter = loop.createFuture<void>();
  let timeoutHandle: TimerHandle | null = null;
  if (timeout !== null) timeoutHandle = loop.callLater(timeout, releaseWaiter, waiter);
  tagWait(waiter, 'wait', timeoutHandle ? { futures: set, deadline: timeoutHandle.when } : { futures: set });
  let counter = set.size;
  // exception() marks it retrieved, as asyncio's does; _hasException tells: a task may throw null.
  const failed = (f: Future<T>): boolean => !f.cancelled() && (f.exception(), f._hasException);
  const onCompletion = (f: Future<T>): void => {
    counter -= 1;
    if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && failed(f))) {
      if (timeoutHandle !== null) timeoutHandle.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };
  for (const f of set) f.addDoneCallback(onCompletion);
  try {
    yield* waiter;
  } finally {
    if (timeoutHandle !== null) timeoutHandle.cancel();
    for (const f of set) f.removeDoneCallback(onCompletion);
  }
  const done = new Set<Future<T>>();
  const pending = new Set<Future<T>>();
  for (const f of set) (f.done() ? done : pending).add(f);
  return [done, pending];
}

export function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/** Cancels `fut` and waits until it is done (whatever its outcome), without throwing its error. */
export function* cancelAndWait(fut: Future<unknown>, msg?: string): Coroutine<void> {
  const loop = getRunningLoop();
  const waiter = tagWait(loop.createFuture<void>(), 'wait', { futures: [fut] });
  const cb = () => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel(msg);
    yield* waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}
