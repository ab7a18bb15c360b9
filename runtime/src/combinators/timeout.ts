import type { Coroutine } from '../coroutine';
import { CancelledError, RuntimeError, TimeoutError } from '../errors';
import type { Handle } from '../handle';
import { getRunningLoop } from '../running';
import { isInstance } from '../safeText';
import type { Task } from '../task';

type State = 'created' | 'active' | 'expiring' | 'expired' | 'finished';

/**
 * asyncio.Timeout: a deadline over a block of code. When it passes, the task running the block is
 * cancelled; the block's CancelledError leaves the scope as a TimeoutError (its `cause` is the
 * CancelledError). A cancellation from elsewhere passes through untouched (counted with
 * cancelling()/uncancel(), as in CPython 3.11+).
 */
export class Timeout {
  private _state: State = 'created';
  private _handle: Handle | null = null;
  private _task: Task<unknown> | null = null;
  private _cancelling = 0;

  constructor(private _when: number | null) {}

  /** The deadline in loop time (ms), or null for none. */
  when(): number | null {
    return this._when;
  }

  /** Moves the deadline (loop time, ms; null: none). Only while the scope is active. */
  reschedule(when: number | null): void {
    if (this._state !== 'active') {
      if (this._state === 'created') throw new RuntimeError('Timeout has not been entered');
      throw new RuntimeError(`Cannot change state of ${this._state} Timeout`);
    }
    this._when = when;
    if (this._handle !== null) this._handle.cancel();
    if (when === null) this._handle = null;
    else {
      const loop = getRunningLoop();
      this._handle = when <= loop.time() ? loop.callSoon(() => this._onTimeout()) : loop.callAt(when, () => this._onTimeout());
    }
  }

  /** True once the deadline has passed and the scope cancelled its task. */
  expired(): boolean {
    return this._state === 'expiring' || this._state === 'expired';
  }

  /** Runs `body` inside the scope (asyncio's `async with timeout:`). */
  *_run<T>(body: (t: Timeout) => Coroutine<T>): Coroutine<T> {
    this._enter();
    let result: T;
    try {
      result = yield* body(this);
    } catch (err) {
      this._exit(true, err);
      throw err;
    }
    this._exit(false, undefined);
    return result;
  }

  private _enter(): void {
    if (this._state !== 'created') throw new RuntimeError('Timeout has already been entered');
    const task = getRunningLoop()._currentTask;
    if (task === null) throw new RuntimeError('Timeout should be used inside a task');
    this._state = 'active';
    this._task = task;
    this._cancelling = task.cancelling();
    this.reschedule(this._when);
  }

  /** Leaves the scope; throws TimeoutError when the deadline's cancellation is what ended the body. */
  private _exit(hasError: boolean, error: unknown): void {
    if (this._handle !== null) {
      this._handle.cancel();
      this._handle = null;
    }
    if (this._state === 'expiring') {
      this._state = 'expired';
      // No new cancel requests since we entered: the cancellation is ours to turn into a timeout.
      if (this._task!.uncancel() <= this._cancelling && hasError && isInstance(error, CancelledError)) {
        throw new TimeoutError(undefined, { cause: error });
      }
    } else if (this._state === 'active') {
      this._state = 'finished';
    }
  }

  private _onTimeout(): void {
    if (this._state !== 'active') return;
    this._task!.cancel();
    this._state = 'expiring';
    this._handle = null;
  }

  toString(): string {
    return `<Timeout [${this._state}]${this._when !== null ? ` when=${this._when}` : ''}>`;
  }
}

/**
 * asyncio.timeout as a scope: runs `body(t)` and throws TimeoutError if it takes longer than `ms`
 * (null: no limit; `t.reschedule()` can move the deadline later).
 *
 *   const page = yield* timeout(5000, function* () { return yield* fetchPage(url); });
 */
export function timeout<T>(ms: number | null, body: (t: Timeout) => Coroutine<T>): Coroutine<T> {
  if (ms !== null && (typeof ms !== 'number' || Number.isNaN(ms))) throw new TypeError(`timeout(): ms must be a number or null, got ${String(ms)}`);
  const loop = getRunningLoop();
  return new Timeout(ms === null ? null : loop.time() + ms)._run(body);
}

/** asyncio.timeout_at: like timeout() with an absolute deadline in loop time (`loop.time()` ms). */
export function timeoutAt<T>(when: number | null, body: (t: Timeout) => Coroutine<T>): Coroutine<T> {
  return new Timeout(when)._run(body);
}
