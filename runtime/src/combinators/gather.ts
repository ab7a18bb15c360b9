import type { Awaitable } from '../coroutine';
import { CancelledError } from '../errors';
import { Future } from '../future';
import { ensureFuture } from '../interop';
import { getRunningLoop } from '../running';
import { tagWait, type WaitGroup } from '../waits';

export interface GatherOptions {
  /** Collect exceptions (and CancelledErrors) as results instead of failing on the first one. */
  returnExceptions?: boolean;
}

type Results<A extends readonly unknown[]> = { -readonly [K in keyof A]: A[K] extends Awaitable<infer R> ? R : A[K] extends PromiseLike<infer P> ? P : unknown };

/**
 * The future a gather returns: cancelling it cancels every child that is still running
 * (asyncio's _GatheringFuture).
 */
export class GatheringFuture<T> extends Future<T> {
  _cancelRequested = false;
  constructor(readonly _children: Future<unknown>[], loop = getRunningLoop()) {
    super(loop);
  }

  override cancel(msg?: string): boolean {
    if (this.done()) return false;
    let ret = false;
    for (const child of this._children) if (child.cancel(msg)) ret = true;
    // A child was cancelled: the gather must end cancelled whatever returnExceptions says.
    if (ret) this._cancelRequested = true;
    return ret;
  }
}

/**
 * asyncio.gather: runs the awaitables concurrently (coroutines become tasks) and returns a future
 * of their results in order. Without `returnExceptions` the first exception (or cancellation)
 * fails the gather at once; the other children keep running.
 */
export function gather<const A extends readonly (Awaitable<unknown> | PromiseLike<unknown>)[]>(aws: A, options: GatherOptions = {}): GatheringFuture<Results<A>> {
  if (!aws || typeof (aws as Iterable<unknown>)[Symbol.iterator] !== 'function' || aws instanceof Future) {
    throw new TypeError('gather() takes an array of coroutines, futures or tasks: gather([a(), b()])');
  }
  const returnExceptions = options.returnExceptions ?? false;
  const loop = getRunningLoop();
  if (aws.length === 0) {
    const outer = new GatheringFuture<Results<A>>([], loop);
    outer.setResult([] as unknown as Results<A>);
    return outer;
  }
  const argToFut = new Map<unknown, Future<unknown>>();
  const children: Future<unknown>[] = [];
  const doneFuts: Future<unknown>[] = [];
  let nfuts = 0;
  let nfinished = 0;
  let outer: GatheringFuture<Results<A>> | null = null;

  const onChildDone = (fut: Future<unknown>): void => {
    nfinished += 1;
    if (outer === null || outer.done()) {
      if (!fut.cancelled()) fut.exception(); // mark it retrieved
      return;
    }
    if (!returnExceptions) {
      if (fut.cancelled()) {
        outer.setException(fut._makeCancelledError());
        return;
      }
      // _hasException, not `exc !== null`: a task may throw null (or undefined, 0, '').
      const exc = fut.exception();
      if (fut._hasException) {
        outer.setException(exc);
        return;
      }
    }
    if (nfinished === nfuts) {
      const results: unknown[] = [];
      for (const child of children) {
        if (child.cancelled()) results.push(new CancelledError(child._cancelMessage ?? ''));
        else {
          const exc = child.exception();
          results.push(child._hasException ? exc : child.result());
        }
      }
      if (outer._cancelRequested) outer.setException(fut._makeCancelledError());
      else outer.setResult(results as unknown as Results<A>);
    }
  };

  for (const arg of aws) {
    let fut = argToFut.get(arg);
    if (fut === undefined) {
      fut = ensureFuture(arg as Awaitable<unknown>, loop);
      nfuts += 1;
      argToFut.set(arg, fut);
      if (fut.done()) doneFuts.push(fut);
      else fut.addDoneCallback(onChildDone);
    }
    children.push(fut);
  }
  outer = new GatheringFuture<Results<A>>(children, loop);
  tagWait(outer, 'gather', { futures: children } satisfies WaitGroup);
  // Children already done count now, so a gather of finished futures completes at once.
  for (const fut of doneFuts) onChildDone(fut);
  return outer;
}
