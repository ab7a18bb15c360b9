import type { Coroutine } from '../coroutine';
import { QueueEmpty, QueueFull, QueueShutDown } from '../errors';
import type { Future, WaitKind } from '../future';
import { Deque } from '../deque';
import { getRunningLoop } from '../running';
import { newResourceId, tagWait, type Resource, type ResourceState } from '../waits';
import { Event } from './event';
import { newWaiters, removeWaiter, type PrimitiveOptions, type Waiters } from './waiters';

/**
 * asyncio.Queue (3.13, with shutdown): FIFO, bounded when `maxsize > 0`. `get()` waits while it
 * is empty, `put()` while it is full; `taskDone()`/`join()` count finished work items.
 * PriorityQueue and LifoQueue change only the storage order.
 */
export class Queue<T = unknown> implements Resource {
  readonly resourceId = newResourceId();
  readonly resourceKind = 'queue' as const;
  readonly name: string;
  readonly _maxsize: number;
  _getters = newWaiters();
  _putters = newWaiters();
  _unfinishedTasks = 0;
  readonly _finished = new Event();
  _isShutdown = false;

  constructor(maxsize = 0, options: PrimitiveOptions = {}) {
    if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) throw new TypeError(`Queue maxsize must be a number, got ${String(maxsize)}`);
    this._maxsize = maxsize;
    this._finished.set();
    this.name = options.name ?? `${this.constructor.name}#${this.resourceId}`;
    this._init();
  }

  // ---- storage (overridden by PriorityQueue and LifoQueue)
  private _items!: Deque<T>;
  protected _init(): void {
    this._items = new Deque<T>();
  }
  protected _get(): T {
    return this._items.shift() as T;
  }
  protected _put(item: T): void {
    this._items.push(item);
  }
  /** Items in the queue now. */
  qsize(): number {
    return this._items.length;
  }

  get maxsize(): number {
    return this._maxsize;
  }

  empty(): boolean {
    return this.qsize() === 0;
  }

  full(): boolean {
    return this._maxsize > 0 && this.qsize() >= this._maxsize;
  }

  /** Puts `item`, waiting while the queue is full. Throws QueueShutDown once the queue is shut down. */
  *put(item: T): Coroutine<void> {
    while (this.full()) {
      if (this._isShutdown) throw new QueueShutDown();
      const putter = this._waiter('queue.put');
      this._putters.push(putter);
      try {
        yield* putter;
      } catch (err) {
        putter.cancel(); // in case it is not done yet
        removeWaiter(this._putters, putter); // it may already be gone (getNowait, shutdown)
        // Woken by getNowait() but unable to take the slot: wake the next in line instead.
        if (!this.full() && !putter.cancelled()) this._wakeupNext(this._putters);
        throw err;
      }
    }
    this.putNowait(item);
  }

  putNowait(item: T): void {
    if (this._isShutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this._put(item);
    this._unfinishedTasks += 1;
    this._finished.clear();
    this._wakeupNext(this._getters);
  }

  /** Removes and returns an item, waiting while the queue is empty. Throws QueueShutDown once shut down and empty. */
  *get(): Coroutine<T> {
    while (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      const getter = this._waiter('queue.get');
      this._getters.push(getter);
      try {
        yield* getter;
      } catch (err) {
        getter.cancel();
        removeWaiter(this._getters, getter);
        if (!this.empty() && !getter.cancelled()) this._wakeupNext(this._getters);
        throw err;
      }
    }
    return this.getNowait();
  }

  getNowait(): T {
    if (this.empty()) {
      if (this._isShutdown) throw new QueueShutDown();
      throw new QueueEmpty();
    }
    const item = this._get();
    this._wakeupNext(this._putters);
    return item;
  }

  /** A consumer finished one item it got; when every item put has been so marked, join() returns. */
  taskDone(): void {
    if (this._unfinishedTasks <= 0) throw new RangeError('taskDone() called too many times');
    this._unfinishedTasks -= 1;
    if (this._unfinishedTasks === 0) this._finished.set();
  }

  /** Waits until every item put has been got and marked with taskDone(). */
  *join(): Coroutine<void> {
    if (this._unfinishedTasks > 0) yield* this._finished._wait('queue.join', this);
  }

  /**
   * Shuts the queue down: put() and putNowait() throw QueueShutDown, and so do get() calls once
   * the queue is empty; waiting getters and putters are woken. With `immediate`, the items left
   * are dropped (and counted as done for join()).
   */
  shutdown(immediate = false): void {
    this._isShutdown = true;
    if (immediate) {
      while (!this.empty()) {
        this._get();
        if (this._unfinishedTasks > 0) this._unfinishedTasks -= 1;
      }
      if (this._unfinishedTasks === 0) this._finished.set();
    }
    // Every getter must re-check emptiness to see the shutdown.
    for (const list of [this._getters, this._putters]) {
      while (list.length) {
        const w = list.shift()!;
        if (!w.done()) w.setResult(undefined);
      }
    }
  }

  /** A waiter future for get/put, tagged for the debugger (asCompleted's internal queue re-tags it). */
  protected _waiter(kind: WaitKind): Future<unknown> {
    return tagWait(getRunningLoop().createFuture<unknown>(), kind, this);
  }

  /** Wakes the next waiter that is not done, dropping it from the list. */
  private _wakeupNext(waiters: Waiters): void {
    while (waiters.length) {
      const w = waiters.shift()!;
      if (!w.done()) {
        w.setResult(undefined);
        break;
      }
    }
  }

  _resourceState(): ResourceState {
    // join()'s waiters wait on the queue too (through its finished event): they are listed last.
    return {
      size: this.qsize(),
      maxsize: this._maxsize,
      unfinished: this._unfinishedTasks,
      waiters: [...this._getters.toArray(), ...this._putters.toArray(), ...this._finished._waiters.toArray()],
    };
  }

  toString(): string {
    const parts = [`maxsize=${this._maxsize}`, `qsize=${this.qsize()}`];
    if (this._getters.length) parts.push(`getters[${this._getters.length}]`);
    if (this._putters.length) parts.push(`putters[${this._putters.length}]`);
    if (this._unfinishedTasks) parts.push(`tasks=${this._unfinishedTasks}`);
    if (this._isShutdown) parts.push('shutdown');
    return `<${this.constructor.name} ${this.name} ${parts.join(' ')}>`;
  }
}
