/**
 * The iterators `yield*` drives when a coroutine awaits a future or sleeps. They are hand-written
 * state machines rather than generator functions: an await is the runtime's hottest path, and a plain
 * object is cheaper to create and resume than a generator (measured: ~30 ns vs ~55 ns per await on
 * Node 20, .scratch micro-benchmark; the switch benchmark in bench/ measures the whole effect).
 * They behave as the equivalent generators would, including for throw() and return().
 */
import { DRIVEN, RESUME, SLEEP0, type Yielded } from './coroutine';
import { RuntimeError } from './errors';
import { Future, PENDING } from './future';
import { hooks, callHook, onHooksChanged } from './hooks';
import type { TimerHandle } from './handle';
import { getRunningLoop, getRunningLoopOrNull } from './running';

const NEW = 0;
const SUSPENDED = 1;
const FINISHED = 2;

// Shared, frozen results: `yield*` hands an inner result object straight to the task driving the
// coroutine, which only reads it.
const YIELD_SLEEP0: IteratorYieldResult<Yielded> = Object.freeze({ value: SLEEP0, done: false as const });
const DONE_UNDEFINED: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });

// The table is read first: these stay installed once used (see onHooksChanged below), and then
// mostly find it empty.
function callResuming(awaited: Future<unknown> | null): void {
  const h = hooks.resuming;
  if (h === null) return;
  const task = getRunningLoopOrNull()?._currentTask ?? null;
  if (task !== null) callHook(h, task, awaited);
}

function callSuspending(awaited: Future<unknown> | null): void {
  const h = hooks.suspending;
  if (h === null) return;
  const task = getRunningLoopOrNull()?._currentTask ?? null;
  if (task !== null) callHook(h, task, awaited);
}

/** `yield* future`: suspends until the future is done, then returns its result or throws its exception. */
export class FutureAwaiter<T> implements Generator<Yielded, T, unknown> {
  private s = NEW;
  constructor(private readonly fut: Future<T>) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<Yielded, T> {
    const fut = this.fut;
    if (this.s === NEW) {
      if (fut._state === PENDING) {
        fut._blocking = true;
        this.s = SUSPENDED;
        this._onSuspending(fut as Future<unknown>);
        return { value: fut as Future<unknown>, done: false };
      }
    } else if (this.s === SUSPENDED) {
      this._onResuming(fut as Future<unknown>);
      if (fut._state === PENDING) {
        this.s = FINISHED;
        throw new RuntimeError("yield* wasn't used with this future");
      }
    } else return DONE_UNDEFINED as IteratorReturnResult<T>;
    this.s = FINISHED;
    return { value: fut.result(), done: true };
  }

  throw(err: unknown): IteratorResult<Yielded, T> {
    if (this.s === SUSPENDED) this._onResuming(this.fut as Future<unknown>);
    this.s = FINISHED;
    throw err;
  }

  return(value: T): IteratorResult<Yielded, T> {
    this.s = FINISHED;
    return { value, done: true };
  }

  // Hook points, empty while no instrument watches suspensions (as a task's: see task.ts).
  _onSuspending(_awaited: Future<unknown>): void {}
  _onResuming(_awaited: Future<unknown>): void {}
}

/**
 * `yield* sleep(0)`: gives up the loop for exactly one iteration. Stateless, so that `sleep(0)` can
 * return one shared instance and a switch allocates nothing: `yield*` starts it with
 * `next(undefined)` (it yields SLEEP0) and the task resumes it with `next(RESUME)` (it returns).
 * A throw() reaches it only while suspended in it (`yield*` forwards throw() after starting it).
 */
export class Sleep0Awaiter<T> implements Generator<Yielded, T, unknown> {
  constructor(private readonly value: T) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(sent?: unknown): IteratorResult<Yielded, T> {
    if (sent !== RESUME) {
      this._onSuspending();
      return YIELD_SLEEP0;
    }
    this._onResuming();
    const value = this.value;
    return value === undefined ? (DONE_UNDEFINED as IteratorReturnResult<T>) : { value, done: true };
  }

  throw(err: unknown): IteratorResult<Yielded, T> {
    this._onResuming();
    throw err;
  }

  return(value: T): IteratorResult<Yielded, T> {
    return { value, done: true };
  }

  // Hook points, empty while no instrument watches suspensions (as a task's: see task.ts).
  _onSuspending(): void {}
  _onResuming(): void {}
}


// Stateless: several tasks may drive one (createTask(sleep(0)) twice is no misuse).
(Sleep0Awaiter.prototype as { [DRIVEN]?: boolean })[DRIVEN] = false;

/** What `sleep(0)` returns: the hottest await needs no allocation. */
export const SLEEP0_AWAITER: Sleep0Awaiter<undefined> = new Sleep0Awaiter(undefined);

function setResultUnlessCancelled<T>(fut: Future<T>, value: T): void {
  if (!fut.cancelled()) fut.setResult(value);
}

/**
 * `yield* sleep(ms)`: a future resolved by a timer (asyncio's sleep). Like a generator, it starts
 * nothing until first driven; the timer is cancelled however the wait ends.
 */
export class SleepAwaiter<T> implements Generator<Yielded, T, unknown> {
  private s = NEW;
  private fut: Future<T> | null = null;
  private handle: TimerHandle | null = null;
  constructor(
    private readonly ms: number,
    private readonly value: T,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  /** The sleep's length (ms), for the debugger (waits.ts: a sleep's `_waitOn`). */
  get delay(): number {
    return this.ms;
  }

  /** Loop time (ms) the sleep ends, for the debugger. */
  get when(): number {
    return this.handle?.when ?? NaN;
  }

  next(): IteratorResult<Yielded, T> {
    if (this.s === NEW) {
      const loop = getRunningLoop();
      const fut = loop.createFuture<T>();
      const handle = loop.callLater(this.ms, setResultUnlessCancelled, fut, this.value);
      fut._waitKind = 'sleep';
      fut._waitOn = this;
      fut._blocking = true;
      this.fut = fut;
      this.handle = handle;
      this.s = SUSPENDED;
      this._onSuspending(fut as Future<unknown>);
      return { value: fut as Future<unknown>, done: false };
    }
    if (this.s === FINISHED) return DONE_UNDEFINED as IteratorReturnResult<T>;
    this._onResuming(this.fut as Future<unknown>);
    this.s = FINISHED;
    this.handle!.cancel();
    const fut = this.fut!;
    if (fut._state === PENDING) throw new RuntimeError("yield* wasn't used with this future");
    return { value: fut.result(), done: true };
  }

  throw(err: unknown): IteratorResult<Yielded, T> {
    if (this.s === SUSPENDED) {
      this._onResuming(this.fut as Future<unknown>);
      this.handle!.cancel();
    }
    this.s = FINISHED;
    throw err;
  }

  return(value: T): IteratorResult<Yielded, T> {
    if (this.s === SUSPENDED) this.handle!.cancel();
    this.s = FINISHED;
    return { value, done: true };
  }

  // Hook points, empty while no instrument watches suspensions (as a task's: see task.ts).
  _onSuspending(_awaited: Future<unknown>): void {}
  _onResuming(_awaited: Future<unknown>): void {}
}

/** What an unwatched hook point is. */
function idle(): void {}

function callSuspending0(): void {
  callSuspending(null);
}
function callResuming0(): void {
  callResuming(null);
}

/**
 * Once an instrument has watched suspensions (or resumptions), their callers stay in place, and
 * find the hook table empty when nobody watches any more. A debugger's stack sampling adds and
 * removes its `suspending` hook at every batch: swapping the caller and `idle` in and out gave each
 * call site two targets, which V8 then calls without inlining either (the switch benchmark spent
 * 4 % of its time calling an empty `idle`); the caller's check of the table is inlined.
 */
let watchedSuspending = false;
let watchedResuming = false;

onHooksChanged(() => {
  watchedSuspending ||= hooks.suspending !== null;
  watchedResuming ||= hooks.resuming !== null;
  for (const p of [FutureAwaiter.prototype, SleepAwaiter.prototype]) {
    p._onSuspending = watchedSuspending ? callSuspending : idle;
    p._onResuming = watchedResuming ? callResuming : idle;
  }
  const s = Sleep0Awaiter.prototype;
  s._onSuspending = watchedSuspending ? callSuspending0 : idle;
  s._onResuming = watchedResuming ? callResuming0 : idle;
});
