import { isCoroutine, type Awaitable, type Coroutine } from '../coroutine';
import { TimeoutError } from '../errors';
import { Future, type WaitKind } from '../future';
import type { TimerHandle } from '../handle';
import { ensureFuture } from '../interop';
import { Queue } from '../primitives/queue';
import { getRunningLoop } from '../running';
import { tagWait, type WaitGroup } from '../waits';

/** The queue of finished futures; its waits show in the debugger as "asCompleted" over the pending ones. */
class CompletionQueue extends Queue<Future<unknown> | null> {
  constructor(private readonly group: WaitGroup) {
    super(0, { name: 'asCompleted' });
  }
  protected override _waiter(_kind: WaitKind): Future<unknown> {
    return tagWait(getRunningLoop().createFuture<unknown>(), 'asCompleted', this.group);
  }
}

export interface AsCompletedOptions {
  /** Milliseconds after which the remaining awaits throw TimeoutError. */
  timeout?: number | null;
}

/**
 * asyncio.as_completed: returns one coroutine per awaitable; awaiting the i-th gives the result
 * (or throws the exception) of the i-th to finish.
 *
 *   for (const next of asCompleted(tasks)) { const r = yield* next; ... }
 */
export function asCompleted<T>(aws: Iterable<Awaitable<T> | PromiseLike<T>>, options: AsCompletedOptions = {}): Coroutine<T>[] {
  if (aws instanceof Future || isCoroutine(aws) || aws == null || typeof (aws as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError('asCompleted() expects an iterable of coroutines, futures or tasks');
  }
  const loop = getRunningLoop();
  const todo = new Set<Future<T>>();
  for (const aw of new Set(aws)) todo.add(ensureFuture(aw, loop));
  const done = new CompletionQueue({ futures: todo as Set<Future<unknown>> });
  let timeoutHandle: TimerHandle | null = null;

  const onCompletion = (f: Future<T>): void => {
    if (todo.size === 0) return; // the timeout came first
    todo.delete(f);
    done.putNowait(f as Future<unknown>);
    if (todo.size === 0 && timeoutHandle !== null) timeoutHandle.cancel();
  };
  const onTimeout = (): void => {
    for (const f of todo) {
      f.removeDoneCallback(onCompletion);
      done.putNowait(null); // each pending await then throws TimeoutError
    }
    todo.clear();
  };
  function* waitForOne(): Coroutine<T> {
    const f = yield* done.get();
    if (f === null) throw new TimeoutError();
    return (f as Future<T>).result();
  }

  for (const f of todo) f.addDoneCallback(onCompletion);
  const timeout = options.timeout ?? null;
  if (todo.size && timeout !== null) timeoutHandle = loop.callLater(timeout, onTimeout);
  return Array.from({ length: todo.size }, () => waitForOne());
}
