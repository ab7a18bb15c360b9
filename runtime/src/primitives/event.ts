import type { Coroutine } from '../coroutine';
import type { WaitKind } from '../future';
import { getRunningLoop } from '../running';
import { newResourceId, tagWait, type Resource, type ResourceState } from '../waits';
import { newWaiters, removeWaiter, type PrimitiveOptions } from './waiters';

/**
 * asyncio.Event: `set()` wakes every task in `wait()` (and later waits return at once) until
 * `clear()`.
 */
export class Event implements Resource {
  readonly resourceId = newResourceId();
  readonly resourceKind = 'event' as const;
  readonly name: string;
  _waiters = newWaiters();
  _value = false;

  constructor(options: PrimitiveOptions = {}) {
    this.name = options.name ?? `Event#${this.resourceId}`;
  }

  isSet(): boolean {
    return this._value;
  }

  set(): void {
    if (this._value) return;
    this._value = true;
    const waiters = this._waiters;
    for (let i = 0; i < waiters.length; i++) {
      const fut = waiters.at(i)!;
      if (!fut.done()) fut.setResult(true);
    }
  }

  clear(): void {
    this._value = false;
  }

  wait(): Coroutine<boolean> {
    return this._wait('event', this);
  }

  /** wait(), with the debugger told what the wait is for (a Queue.join waits on the queue's event). */
  *_wait(kind: WaitKind, on: unknown): Coroutine<boolean> {
    if (this._value) return true;
    const fut = tagWait(getRunningLoop().createFuture<unknown>(), kind, on);
    this._waiters.push(fut);
    try {
      yield* fut;
      return true;
    } finally {
      removeWaiter(this._waiters, fut);
    }
  }

  _resourceState(): ResourceState {
    return { value: this._value ? 1 : 0, waiters: this._waiters.toArray() };
  }

  toString(): string {
    return `<Event ${this.name} [${this._value ? 'set' : 'unset'}${this._waiters.length ? `, waiters:${this._waiters.length}` : ''}]>`;
  }
}
