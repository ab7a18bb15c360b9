import type { Coroutine } from '../coroutine';
import { RuntimeError } from '../errors';
import { getRunningLoop } from '../running';
import type { Task } from '../task';
import { newResourceId, tagWait, type Resource, type ResourceState } from '../waits';
import { allCancelled, holding, newWaiters, removeWaiter, type PrimitiveOptions, type Waiters } from './waiters';

/**
 * asyncio.Lock: a mutex for tasks. `yield* lock.acquire()` waits until it is free; `release()`
 * frees it and wakes the first waiter. Fair (FIFO), and, as in CPython 3.12+, a task that finds
 * the lock free while others are queued for it does not jump the queue. The lock remembers the
 * task holding it, for the debugger and for `owner()`.
 */
export class Lock implements Resource {
  readonly resourceId = newResourceId();
  readonly resourceKind = 'lock' as const;
  readonly name: string;
  _waiters: Waiters | null = null;
  _locked = false;
  _owner: Task<unknown> | null = null;

  constructor(options: PrimitiveOptions = {}) {
    this.name = options.name ?? `Lock#${this.resourceId}`;
  }

  locked(): boolean {
    return this._locked;
  }

  /** The task that acquired the lock (null when free, or when acquired outside a task). */
  owner(): Task<unknown> | null {
    return this._locked ? this._owner : null;
  }

  *acquire(): Coroutine<boolean> {
    const waiters = this._waiters;
    if (!this._locked && (waiters === null || allCancelled(waiters))) {
      this._take();
      return true;
    }
    const loop = getRunningLoop();
    const fut = tagWait(loop.createFuture<unknown>(), 'lock', this);
    (this._waiters ??= newWaiters()).push(fut);
    try {
      try {
        yield* fut;
      } finally {
        removeWaiter(this._waiters!, fut);
      }
    } catch (err) {
      // Keep the invariant: if the lock is free and tasks wait for it, the first must run.
      if (!this._locked) this._wakeUpFirst();
      throw err;
    }
    this._take();
    return true;
  }

  release(): void {
    if (!this._locked) throw new RuntimeError('Lock is not acquired.');
    this._locked = false;
    this._owner = null;
    this._wakeUpFirst();
  }

  /** `async with lock:` — runs `body` holding the lock. */
  with<T>(body: () => Coroutine<T>): Coroutine<T> {
    return holding(this, body);
  }

  private _take(): void {
    this._locked = true;
    this._owner = getRunningLoop()._currentTask;
  }

  private _wakeUpFirst(): void {
    const waiters = this._waiters;
    if (!waiters || waiters.length === 0) return;
    const fut = waiters.peek()!;
    // A done waiter is already set to wake up.
    if (!fut.done()) fut.setResult(true);
  }

  _resourceState(): ResourceState {
    return { holder: this.owner(), waiters: this._waiters ? this._waiters.toArray() : [] };
  }

  toString(): string {
    const extra = this._locked ? 'locked' : 'unlocked';
    const n = this._waiters?.length ?? 0;
    return `<Lock ${this.name} [${extra}${n ? `, waiters:${n}` : ''}]>`;
  }
}
