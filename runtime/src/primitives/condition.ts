import type { Coroutine } from '../coroutine';
import { CancelledError, RuntimeError } from '../errors';
import { getRunningLoop } from '../running';
import { newResourceId, tagWait, type Resource, type ResourceState } from '../waits';
import { Lock } from './lock';
import { holding, newWaiters, removeWaiter, type PrimitiveOptions } from './waiters';

/**
 * asyncio.Condition: tasks `wait()` (releasing the lock while they wait, re-acquiring it before
 * they return) until another task holding the lock calls `notify(n)` or `notifyAll()`.
 */
export class Condition implements Resource {
  readonly resourceId = newResourceId();
  readonly resourceKind = 'condition' as const;
  readonly name: string;
  readonly _lock: Lock;
  _waiters = newWaiters();

  constructor(lock?: Lock | null, options: PrimitiveOptions = {}) {
    this._lock = lock ?? new Lock();
    this.name = options.name ?? `Condition#${this.resourceId}`;
  }

  locked(): boolean {
    return this._lock.locked();
  }

  acquire(): Coroutine<boolean> {
    return this._lock.acquire();
  }

  release(): void {
    this._lock.release();
  }

  /** `async with cond:` — runs `body` holding the condition's lock. */
  with<T>(body: () => Coroutine<T>): Coroutine<T> {
    return holding(this, body);
  }

  /**
   * Releases the lock, waits to be notified, re-acquires the lock (even when cancelled) and returns
   * true. A wakeup that this task cannot take (an error on the way out) is passed on to another waiter.
   */
  *wait(): Coroutine<boolean> {
    if (!this.locked()) throw new RuntimeError('cannot wait on un-acquired lock');
    this.release();
    try {
      try {
        const fut = tagWait(getRunningLoop().createFuture<unknown>(), 'condition', this);
        this._waiters.push(fut);
        try {
          yield* fut;
          return true;
        } finally {
          removeWaiter(this._waiters, fut);
        }
      } finally {
        // Re-acquire the lock even if the wait was cancelled; only CancelledError may interrupt
        // it, and the most recent one is re-thrown once the lock is held again.
        let err: CancelledError | null = null;
        for (;;) {
          try {
            yield* this.acquire();
            break;
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
            err = e;
          }
        }
        if (err !== null) throw err;
      }
    } catch (e) {
      // This task may have been notified before the error: hand the wakeup to another waiter.
      this._notify(1);
      throw e;
    }
  }

  /** Waits until `predicate()` is truthy (checking it first, and after every wakeup); returns its value. */
  *waitFor<T>(predicate: () => T): Coroutine<T> {
    let result = predicate();
    while (!result) {
      yield* this.wait();
      result = predicate();
    }
    return result;
  }

  notify(n = 1): void {
    if (!this.locked()) throw new RuntimeError('cannot notify on un-acquired lock');
    this._notify(n);
  }

  notifyAll(): void {
    this.notify(this._waiters.length);
  }

  private _notify(n: number): void {
    let idx = 0;
    const waiters = this._waiters;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i)!;
      if (idx >= n) break;
      if (!fut.done()) {
        idx += 1;
        fut.setResult(false);
      }
    }
  }

  _resourceState(): ResourceState {
    return { holder: this._lock.owner(), waiters: this._waiters.toArray() };
  }

  toString(): string {
    return `<Condition ${this.name} [${this.locked() ? 'locked' : 'unlocked'}${this._waiters.length ? `, waiters:${this._waiters.length}` : ''}]>`;
  }
}
