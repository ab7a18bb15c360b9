import { CancelledError, InvalidStateError, RuntimeError } from './errors';
import { hooks, callHook } from './hooks';
import type { EventLoop } from './loop';
import { getRunningLoop } from './running';
import type { Yielded } from './coroutine';
import { FutureAwaiter } from './awaiters';
import type { Task } from './task';
import type { UnretrievedToken } from './unretrieved';

export const PENDING = 0;
export const CANCELLED = 1;
export const FINISHED = 2;
export type FutureState = typeof PENDING | typeof CANCELLED | typeof FINISHED;

export type DoneCallback<T> = (future: Future<T>) => void;

/**
 * What a future stands for, for the debugger: which runtime operation made it and on what
 * (`waitOn`). Set by the runtime's own combinators and primitives so that no await edge goes missing;
 * two fields rather than an object so that an uninstrumented program allocates nothing for it.
 */
export type WaitKind =
  | 'future'
  | 'sleep'
  | 'gather'
  | 'wait'
  | 'shield'
  | 'asCompleted'
  | 'taskGroup'
  | 'lock'
  | 'event'
  | 'condition'
  | 'semaphore'
  | 'queue.get'
  | 'queue.put'
  | 'queue.join'
  | 'promise';

let nextFutureId = 1;

/**
 * asyncio's Future: a result (or exception) that will be set later. Coroutines await it with
 * `yield* future`; plain async code can `await` it (it is PromiseLike). Done callbacks are always
 * scheduled on the loop with callSoon, never called inline.
 */
export class Future<T = unknown> implements PromiseLike<T> {
  _loop: EventLoop;
  _state: FutureState = PENDING;
  _result: T | undefined = undefined;
  _exception: unknown = undefined;
  _hasException = false;
  /** Done callbacks in registration order; a Task here means "wake that task". */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored callbacks take any future type (keeps Future covariant)
  _callbacks: (DoneCallback<any> | Task<any>)[] | null = null;
  _cancelMessage: string | undefined = undefined;
  _cancelledExc: CancelledError | null = null;
  /** Set while an exception is set that nobody has retrieved (asyncio's __log_traceback). */
  _excLog: UnretrievedToken | null = null;
  /** Set by `yield*` (the future's iterator) just before it yields the future to the task: asyncio's _asyncio_future_blocking. */
  _blocking = false;
  _waitKind: WaitKind | null = null;
  _waitOn: unknown = null;
  private _fid = 0;

  constructor(loop?: EventLoop) {
    this._loop = loop ?? getRunningLoop();
  }

  /** A stable id for the debugger, assigned on first use. */
  get futureId(): number {
    return this._fid || (this._fid = nextFutureId++);
  }

  getLoop(): EventLoop {
    return this._loop;
  }

  done(): boolean {
    return this._state !== PENDING;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  /** Cancels the future and schedules its callbacks. Returns false if it was already done. */
  cancel(msg?: string): boolean {
    this._markRetrieved();
    if (this._state !== PENDING) return false;
    this._state = CANCELLED;
    this._cancelMessage = msg;
    this._scheduleCallbacks();
    return true;
  }

  /** The result; rethrows the exception; CancelledError if cancelled; InvalidStateError if pending. */
  result(): T {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Result is not ready.');
    this._markRetrieved();
    if (this._hasException) throw this._exception;
    return this._result as T;
  }

  /** The exception or null; throws CancelledError if cancelled, InvalidStateError if pending. */
  exception(): unknown {
    if (this._state === CANCELLED) throw this._makeCancelledError();
    if (this._state !== FINISHED) throw new InvalidStateError('Exception is not set.');
    this._markRetrieved();
    return this._hasException ? this._exception : null;
  }

  setResult(result: T): void {
    this._setResult(result);
  }

  setException(exception: unknown): void {
    this._setException(exception);
  }

  _setResult(result: T): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this._stateName()}: ${this}`);
    this._result = result;
    this._state = FINISHED;
    this._scheduleCallbacks();
  }

  _setException(exception: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`${this._stateName()}: ${this}`);
    this._exception = exception;
    this._hasException = true;
    this._state = FINISHED;
    this._scheduleCallbacks();
    this._excLog = this._loop._trackUnretrieved(this as Future<unknown>, exception);
  }

  _markRetrieved(): void {
    if (this._excLog !== null) {
      this._excLog.retrieved = true;
      this._excLog = null;
    }
  }

  /** Adds a callback called (through callSoon) with this future when it is done; at once-soon if it already is. */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (this._state !== PENDING) {
      this._loop.callSoon(fn, this);
      return;
    }
    this._addCallback(fn);
  }

  /** Removes every registration of `fn`; returns how many were removed. */
  removeDoneCallback(fn: DoneCallback<T>): number {
    const cbs = this._callbacks;
    if (cbs === null) return 0;
    const kept = cbs.filter((c) => c !== fn);
    const removed = cbs.length - kept.length;
    if (removed) this._callbacks = kept;
    return removed;
  }

  /** Registers a task to be woken when this future is done (the task's own await). */
  _addWaiter(task: Task<unknown>): void {
    this._addCallback(task);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as _callbacks
  private _addCallback(cb: DoneCallback<any> | Task<any>): void {
    const cbs = this._callbacks;
    // Most futures get one callback: `[cb]` holds one slot, where `[].push(cb)` makes room for 17.
    if (cbs === null) this._callbacks = [cb];
    else cbs.push(cb);
  }

  _scheduleCallbacks(): void {
    const cbs = this._callbacks;
    if (cbs === null) return;
    this._callbacks = null;
    const loop = this._loop;
    for (let i = 0; i < cbs.length; i++) {
      const cb = cbs[i];
      if (typeof cb === 'function') loop.callSoon(cb, this);
      else cb._scheduleWakeup(this as Future<unknown>);
    }
  }

  _makeCancelledError(): CancelledError {
    if (this._cancelledExc !== null) {
      const exc = this._cancelledExc;
      this._cancelledExc = null;
      return exc;
    }
    return new CancelledError(this._cancelMessage);
  }

  /** `yield* future`: suspends the awaiting task until the future is done, then returns its result or throws. */
  [Symbol.iterator](): Generator<Yielded, T, unknown> {
    return new FutureAwaiter(this);
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this._asPromise().then(onFulfilled, onRejected);
  }

  private _promise: Promise<T> | null = null;

  /** The future as a native Promise (one per future), settled when the future is done. */
  _asPromise(): Promise<T> {
    if (this._promise === null) {
      this._promise = new Promise<T>((resolve, reject) => {
        const settle = (f: Future<T>) => {
          try {
            resolve(f.result());
          } catch (err) {
            reject(err);
          }
        };
        if (this._state !== PENDING) settle(this);
        else this._addCallback(settle);
      });
    }
    return this._promise;
  }

  _stateName(): string {
    return this._state === PENDING ? 'PENDING' : this._state === CANCELLED ? 'CANCELLED' : 'FINISHED';
  }

  toString(): string {
    return `<Future ${this._stateName().toLowerCase()}${this._waitKind ? ` ${this._waitKind}` : ''}>`;
  }
}

/** Whether `value` is a Future (or Task) of this runtime. */
export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}
