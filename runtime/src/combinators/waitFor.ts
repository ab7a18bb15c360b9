import type { Awaitable, Coroutine } from '../coroutine';
import { CancelledError, TimeoutError } from '../errors';
import { ensureFuture } from '../interop';
import { isInstance } from '../safeText';
import { timeout } from './timeout';
import { cancelAndWait } from './wait';

/**
 * asyncio.wait_for (3.12+): awaits `aw` with a time limit; on timeout it is cancelled and
 * TimeoutError thrown. A coroutine runs inline in the calling task inside a timeout scope; a task
 * or future is awaited (and cancelled on timeout). `ms` null waits without limit.
 */
export function* waitFor<T>(aw: Awaitable<T>, ms: number | null): Coroutine<T> {
  if (ms !== null && ms <= 0) {
    // The deadline has already passed: give the awaitable no chance to start, as asyncio does.
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut);
    try {
      return fut.result();
    } catch (err) {
      if (isInstance(err, CancelledError)) throw new TimeoutError(undefined, { cause: err });
      throw err;
    }
  }
  return yield* timeout(ms, function* () {
    return yield* aw;
  });
}
