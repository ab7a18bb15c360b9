import type { Awaitable } from '../coroutine';
import type { Future } from '../future';
import { ensureFuture } from '../interop';
import { tagWait } from '../waits';

/**
 * asyncio.shield: a future that follows `aw` but whose cancellation does not reach it. Cancelling
 * the task awaiting a shield cancels only the outer future; the shielded work keeps running.
 */
export function shield<T>(aw: Awaitable<T> | PromiseLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = inner._loop.createFuture<T>();
  tagWait(outer, 'shield', { futures: [inner] });
  const onInnerDone = (f: Future<T>): void => {
    if (outer.cancelled()) {
      if (!f.cancelled()) f.exception(); // mark it retrieved
      return;
    }
    if (f.cancelled()) outer.cancel();
    else {
      const exc = f.exception();
      if (f._hasException) outer.setException(exc); // (an exception may be null)
      else outer.setResult(f.result());
    }
  };
  const onOuterDone = (): void => {
    if (!inner.done()) inner.removeDoneCallback(onInnerDone);
  };
  inner.addDoneCallback(onInnerDone);
  outer.addDoneCallback(onOuterDone);
  return outer;
}
