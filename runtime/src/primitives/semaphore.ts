import type { Coroutine } from '../coroutine';
import { CancelledError } from '../errors';
import { getRunningLoop } from '../running';
import { newResourceId, tagWait, type Resource, type ResourceState } from '../waits';
import { allCancelled, holding, newWaiters, removeWaiter, type PrimitiveOptions, type Waiters } from './waiters';

/**
 * asyncio.Semaphore: a counter of free slots. `acquire()` takes one, waiting (FIFO) while none is
 * free; `release()` gives one back. As in CPython 3.12+, an acquirer never overtakes tasks
 * already queued, even when a slot is free.
 */
export class Semaphore implements Resource {
  readonly resourceId = newResourceId();
  readonly resourceKind = 'semaphore' as const;
  readonly name: string;
  _waiters: Waiters | null = null;
  _value: number;

  constructor(value = 1, options: PrimitiveOptions = {}) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`Semaphore initial value must be an integer, got ${String(value)}`);
    if (value < 0) throw new RangeError('Semaphore initial value must be >= 0');
    this._value = value;
    this.name = options.name ?? `${this.constructor.name}#${this.resourceId}`;
  }

  /** True when `acquire()` would wait: no slot free, or tasks already queued (FIFO). */
  locked(): boolean {
    return this._value === 0 || (this._waiters !== null && !allCancelled(this._waiters));
  }

  /** Free slots now. */
  value(): number {
    return this._value;
  }

  *acquire(): Coroutine<boolean> {
    if (!this.locked()) {
      this._value -= 1;
      return true;
    }
    const fut = tagWait(getRunningLoop().createFuture<unknown>(), 'semaphore', this);
    (this._waiters ??= newWaiters()).push(fut);
    try {
      try {
        try {
          yield* fut;
        } finally {
          removeWaiter(this._waiters, fut);
        }
      } catch (err) {
        if (err instanceof CancelledError && fut.done() && !fut.cancelled()) {
          // Woken (a slot was reserved for us) but cancelled before taking it: give it back.
          this._value += 1;
        }
        throw err;
      }
    } finally {
      // Waiters that arrived meanwhile had to queue (FIFO): wake as many as there are slots.
      while (this._value > 0) {
        if (!this._wakeUpNext()) break;
      }
    }
    return true;
  }

  release(): void {
    this._value += 1;
    this._wakeUpNext();
  }

  /** `async with sem:` — runs `body` holding one slot. */
  with<T>(body: () => Coroutine<T>): Coroutine<T> {
    return holding(this, body);
  }

  /** Wakes the first waiter that is not done, reserving a slot for it. */
  private _wakeUpNext(): boolean {
    const waiters = this._waiters;
    if (!waiters) return false;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i)!;
      if (!fut.done()) {
        this._value -= 1;
        fut.setResult(true);
        return true;
      }
    }
    return false;
  }

  _resourceState(): ResourceState {
    return { value: this._value, waiters: this._waiters ? this._waiters.toArray() : [] };
  }

  toString(): string {
    const n = this._waiters?.length ?? 0;
    return `<${this.constructor.name} ${this.name} [${this.locked() ? 'locked' : `unlocked, value:${this._value}`}${n ? `, waiters:${n}` : ''}]>`;
  }
}

/** A Semaphore that refuses to be released more times than it was acquired. */
export class BoundedSemaphore extends Semaphore {
  readonly _boundValue: number;

  constructor(value = 1, options: PrimitiveOptions = {}) {
    super(value, options);
    this._boundValue = value;
  }

  override release(): void {
    if (this._value >= this._boundValue) throw new RangeError('BoundedSemaphore released too many times');
    super.release();
  }
}
