import { Deque } from './deque';
import { MinHeap } from './heap';
import { Handle, TimerHandle, type Runnable } from './handle';
import { Future } from './future';
import { Task, type TaskOptions } from './task';
import { TaskList } from './taskList';
import type { Coroutine } from './coroutine';
import { RuntimeError } from './errors';
import { hooks, callHook } from './hooks';
import type { UnretrievedToken } from './unretrieved';
import { exceptionText } from './safeText';

/** What the loop tells its exception handler (asyncio's context dict). */
export interface ExceptionContext {
  message: string;
  exception?: unknown;
  future?: Future<unknown>;
  task?: Task<unknown>;
  handle?: Handle;
}

export type ExceptionHandler = (loop: EventLoop, context: ExceptionContext) => void;

export interface LoopOptions {
  /**
   * 'real' (default): loop time follows the monotonic clock.
   * 'virtual': whenever nothing is ready, time jumps to the next timer, so timeouts run instantly and deterministically.
   */
  clock?: 'real' | 'virtual';
}

/**
 * The debugger's hold on the loop. Asked before each ready entry runs: true runs it; false leaves
 * that entry at the head of the ready queue and pauses the loop until `resumeLoop()`; 'hold' takes
 * it off the ready queue without running it (a frozen task's step): the control keeps it and gives
 * it back later with `_giveBack`.
 */
export interface LoopControl {
  beforeRun(item: Runnable): boolean | 'hold';
}

/** How long the loop may run before it lets Node's own event loop (I/O, timers) take a turn. */
const SLICE_MS = 10;
/**
 * At iteration ends the loop reads the clock (to end the slice) after at most this many entries and
 * iterations: a read costs 40-50 ns here, as much as a whole task switch, and an iteration of a
 * queue ping-pong runs one or two entries. It starts every slice reading at each iteration end and
 * doubles the gap up to this only while the work between reads stays under QUICK_MS, so long steps
 * still end a slice on time. (Within an iteration the clock is read every 1,024 entries.)
 */
const CLOCK_EVERY = 16;
const QUICK_MS = SLICE_MS / 40;
/** Below this many timers, cancelled ones are dropped lazily; above it, in bulk when they are the majority (asyncio's rule). */
const MIN_SCHEDULED_TIMER_HANDLES = 100;

const enum Drive {
  /** Not started, or finished. */
  Off,
  /** A Node callback (setImmediate) will run the loop. */
  Scheduled,
  /** The loop is running ready entries now. */
  Running,
  /** Waiting for the next timer or for outside work (a settled Promise). */
  Waiting,
  /** Paused by the debugger. */
  Paused,
}

const now = () => performance.now();

/**
 * asyncio's event loop over Node's: a FIFO ready queue and a timer heap. Each iteration moves due
 * timers to the ready queue and runs exactly the entries that were ready when it began (entries
 * added meanwhile wait for the next iteration), as CPython's _run_once does.
 */
export class EventLoop {
  readonly _ready = new Deque<Runnable>(1024);
  readonly _timers = new MinHeap<TimerHandle>();
  private _timerCancelledCount = 0;
  _currentTask: Task<unknown> | null = null;
  /** Unfinished tasks (allTasks()), oldest first. */
  readonly _tasks = new TaskList();
  /** Entries left to run in the current iteration. */
  private _ntodo = 0;
  private _closed = false;
  private _stopping = false;
  private _drive = Drive.Off;
  private _nodeTimer: ReturnType<typeof setTimeout> | null = null;
  private _keepAlive: ReturnType<typeof setInterval> | null = null;
  private _onStop: (() => void) | null = null;
  private _onFatal: ((err: unknown) => void) | null = null;
  private _waitingSince = -1;
  readonly virtualClock: boolean;
  private _vnow = 0;
  /** Real-clock time spent paused by the debugger: loop time stands still while paused. */
  private _pausedTotal = 0;
  private _pausedAt = -1;
  _control: LoopControl | null = null;
  private _exceptionHandler: ExceptionHandler | null = null;
  private readonly _unretrieved = new Set<UnretrievedToken>();
  private readonly _finalizer = new FinalizationRegistry<UnretrievedToken>((token) => {
    this._unretrieved.delete(token);
    if (!token.retrieved) this._reportUnretrieved(token, undefined);
  });
  private static nextId = 1;
  readonly id = EventLoop.nextId++;

  constructor(options: LoopOptions = {}) {
    this.virtualClock = options.clock === 'virtual';
  }

  /** Loop time in milliseconds (monotonic; stands still while the debugger holds the loop paused). */
  time(): number {
    if (this.virtualClock) return this._vnow;
    return (this._pausedAt >= 0 ? this._pausedAt : now()) - this._pausedTotal;
  }

  /** How long (ms) the debugger has held the loop paused, in all: loop time is the real clock less this. */
  get pausedTotal(): number {
    return this._pausedTotal;
  }

  isClosed(): boolean {
    return this._closed;
  }

  isRunning(): boolean {
    return this._drive !== Drive.Off;
  }

  callSoon<A extends unknown[]>(fn: (...args: A) => void, ...args: A): Handle {
    this._checkClosed();
    const h = new Handle(fn as (...a: unknown[]) => void, args, this);
    this._ready.push(h);
    this._wakeIfIdle();
    return h;
  }

  callLater<A extends unknown[]>(delayMs: number, fn: (...args: A) => void, ...args: A): TimerHandle {
    return this.callAt(this.time() + delayMs, fn, ...args);
  }

  callAt<A extends unknown[]>(when: number, fn: (...args: A) => void, ...args: A): TimerHandle {
    this._checkClosed();
    if (typeof when !== 'number' || Number.isNaN(when)) throw new TypeError(`callAt(): when must be a number, got ${String(when)}`);
    const h = new TimerHandle(when, fn as (...a: unknown[]) => void, args, this);
    this._timers.push(h);
    if (this._drive === Drive.Waiting) this._reschedule();
    return h;
  }

  createFuture<T = unknown>(): Future<T> {
    return new Future<T>(this);
  }

  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    this._checkClosed();
    return new Task<T>(coro, options, this);
  }

  setExceptionHandler(handler: ExceptionHandler | null): void {
    if (handler !== null && typeof handler !== 'function') throw new TypeError('setExceptionHandler() expects a function or null');
    this._exceptionHandler = handler;
  }

  getExceptionHandler(): ExceptionHandler | null {
    return this._exceptionHandler;
  }

  /** Reports an error the loop cannot raise anywhere (a failing callback, an unretrieved exception). */
  callExceptionHandler(context: ExceptionContext): void {
    const h = this._exceptionHandler;
    if (h === null) {
      this.defaultExceptionHandler(context);
      return;
    }
    try {
      h(this, context);
    } catch (err) {
      this.defaultExceptionHandler({ message: 'Unhandled error in exception handler', exception: err });
      this.defaultExceptionHandler(context);
    }
  }

  defaultExceptionHandler(context: ExceptionContext): void {
    const lines = [context.message];
    if (context.task) lines.push(`task: ${context.task}`);
    else if (context.future) lines.push(`future: ${context.future}`);
    const e = context.exception;
    // exceptionText never throws: the value may be anything a program threw (null, a revoked Proxy...).
    if (e !== undefined) lines.push(exceptionText(e));
    process.stderr.write(lines.join('\n') + '\n');
  }

  stop(): void {
    this._stopping = true;
  }

  /** The entries that will run next, in order (the debugger's ready-queue view). */
  readyQueue(): Runnable[] {
    return this._ready.toArray();
  }

  // ---- internals used by futures, tasks, run() and the debugger agent ----

  _registerTask(task: Task<unknown>): void {
    this._tasks.add(task);
  }

  _unregisterTask(task: Task<unknown>): void {
    this._tasks.delete(task);
  }

  _trackUnretrieved(fut: Future<unknown>, error: unknown): UnretrievedToken {
    const owner = fut instanceof Task ? `Task '${fut.getName()}'` : 'Future';
    const token: UnretrievedToken = { retrieved: false, error, owner, ref: new WeakRef(fut) };
    this._unretrieved.add(token);
    this._finalizer.register(fut, token, token);
    return token;
  }

  private _reportUnretrieved(token: UnretrievedToken, fut: Future<unknown> | undefined): void {
    const isTask = fut instanceof Task || token.owner.startsWith('Task');
    const ctx: ExceptionContext = { message: `${isTask ? 'Task' : 'Future'} exception was never retrieved (${token.owner})`, exception: token.error };
    if (fut instanceof Task) ctx.task = fut;
    else if (fut) ctx.future = fut;
    const h = hooks.unretrievedException;
    if (h !== null) callHook(h, fut, token.error);
    this.callExceptionHandler(ctx);
  }

  /** Reports every exception still unretrieved (at close: nothing can retrieve them any more). */
  _reportAllUnretrieved(): void {
    for (const token of this._unretrieved) {
      this._finalizer.unregister(token);
      if (!token.retrieved) this._reportUnretrieved(token, token.ref.deref() as Future<unknown> | undefined);
    }
    this._unretrieved.clear();
  }

  _timerCancelled(): void {
    this._timerCancelledCount++;
  }

  private _checkClosed(): void {
    if (this._closed) throw new RuntimeError('Event loop is closed');
  }

  /**
   * Runs the loop until `future` is done. Resolves when the loop has stopped; rejects only on an
   * internal failure of the loop itself (a bug), never for the future's own exception.
   */
  _runUntilComplete(future: Future<unknown>): Promise<void> {
    this._checkClosed();
    return new Promise<void>((resolve, reject) => {
      this._stopping = false;
      this._onStop = resolve;
      this._onFatal = reject;
      future.addDoneCallback(() => this.stop());
      this._scheduleDrive();
    });
  }

  /** Closes the loop: no more callbacks; reports exceptions nobody retrieved. */
  _close(): void {
    if (this._closed) return;
    this._reportAllUnretrieved();
    this._closed = true;
    this._clearNodeTimers();
    this._ready.clear();
    this._timers.filter(() => false);
  }

  /** Pauses (true) or resumes (false) running task steps; used by the debugger. Loop time stands still while paused. */
  _setPaused(paused: boolean): void {
    if (paused) {
      if (this._pausedAt < 0) this._pausedAt = now();
    } else if (this._pausedAt >= 0) {
      this._pausedTotal += now() - this._pausedAt;
      this._pausedAt = -1;
    }
  }

  isPaused(): boolean {
    return this._pausedAt >= 0;
  }

  /** Continues running after the control paused the loop. */
  resumeLoop(): void {
    if (this._drive === Drive.Paused || this._drive === Drive.Waiting) this._scheduleDrive();
  }

  /**
   * Puts back at the end of the ready queue an entry the control held (LoopControl's 'hold'): a
   * thawed task's step runs after whatever is ready now, as if it had been woken at this moment.
   */
  _giveBack(item: Runnable): void {
    if (this._closed) return;
    this._ready.push(item);
    this._wakeIfIdle();
  }

  /** New ready work arrived from outside a drive (a settled Promise, the debugger): run it soon. */
  _wakeIfIdle(): void {
    if (this._drive === Drive.Waiting) this._scheduleDrive();
  }

  private _reschedule(): void {
    // A timer was added while waiting: the wait may now be too long.
    this._scheduleDrive();
  }

  private _clearNodeTimers(): void {
    if (this._nodeTimer !== null) {
      clearTimeout(this._nodeTimer);
      this._nodeTimer = null;
    }
    if (this._keepAlive !== null) {
      clearInterval(this._keepAlive);
      this._keepAlive = null;
    }
  }

  private _scheduleDrive(): void {
    this._clearNodeTimers();
    this._drive = Drive.Scheduled;
    setImmediate(this._driveCallback);
  }

  private readonly _driveCallback = (): void => {
    if (this._drive !== Drive.Scheduled) return;
    try {
      this._runSlice();
    } catch (err) {
      this._drive = Drive.Off;
      const fatal = this._onFatal;
      this._onStop = this._onFatal = null;
      fatal?.(err);
    }
  };

  private _waitFor(delayMs: number): void {
    this._drive = Drive.Waiting;
    this._waitingSince = now();
    const h = hooks.beforeIdle;
    if (h !== null) callHook(h, delayMs);
    // The hook gave the loop work (the debugger thawed a frozen task's step): it is already
    // scheduled, and a timer set now would outlive the wait it was for.
    if ((this._drive as Drive) !== Drive.Waiting) return;
    if (delayMs === Infinity) {
      // Nothing can wake the loop but outside work. asyncio would block here forever, and so does
      // this loop: a stuck program stays alive to be inspected rather than silently exiting.
      this._keepAlive = setInterval(() => {}, 1 << 30);
    } else {
      this._nodeTimer = setTimeout(() => {
        this._nodeTimer = null;
        this._scheduleDrive();
      }, Math.max(1, Math.ceil(delayMs)));
    }
  }

  private _runSlice(): void {
    this._drive = Drive.Running;
    if (this._waitingSince >= 0) {
      this._waitingSince = -1;
      const h = hooks.afterIdle;
      if (h !== null) callHook(h);
    }
    let lastRead = now();
    const deadline = lastRead + SLICE_MS;
    const ready = this._ready;
    // Entries and iterations run in this slice; how many had run at the last clock read, and how
    // many more to run before the next read at an iteration end.
    let count = 0;
    let clockAt = 0;
    let every = 1;
    for (;;) {
      if (this._ntodo === 0) {
        if (this._stopping) {
          this._finishRun();
          return;
        }
        if (ready.length === 0) {
          const delay = this._nextTimerDelay();
          if (delay > 0) {
            if (this.virtualClock && delay !== Infinity && this._pausedAt < 0) this._vnow += delay;
            else {
              this._waitFor(delay);
              return;
            }
          }
        }
        this._beginIteration();
        count++;
      }
      // Set when the slice ran out within the iteration (the clock is read every 1,024 entries there).
      let late = false;
      const control = this._control;
      if (control === null) {
        // The hot path: nobody holds the loop. (_ntodo is kept in a local and written back.)
        let n = this._ntodo;
        while (n > 0) {
          const item = ready.shift()!;
          n--;
          if (!item._dead) {
            this._ntodo = n;
            item._run();
            // A debugger took hold during that step (a breakpoint hit): continue under its control.
            if (this._control !== null) break;
          }
          if ((++count & 1023) === 0 && now() > deadline) {
            late = true;
            break;
          }
        }
        this._ntodo = n;
      } else {
        while (this._ntodo > 0) {
          const item = ready.peek()!;
          const verdict = item._dead || control.beforeRun(item);
          if (verdict === false) {
            this._drive = Drive.Paused;
            return;
          }
          ready.shift();
          this._ntodo--;
          // 'hold': the control keeps the entry (it is given back with _giveBack).
          if (verdict === true && !item._dead) item._run();
          if ((++count & 1023) === 0 && now() > deadline) {
            late = true;
            break;
          }
        }
      }
      if (!late && count - clockAt >= every) {
        clockAt = count;
        const t = now();
        late = t > deadline;
        every = t - lastRead < QUICK_MS ? Math.min(every * 2, CLOCK_EVERY) : 1;
        lastRead = t;
      }
      if (late) {
        this._scheduleDrive();
        return;
      }
    }
  }

  /** ms until the earliest live timer (0 if due, Infinity if none); drops cancelled timers as asyncio does. */
  private _nextTimerDelay(): number {
    const timers = this._timers;
    if (timers.length > MIN_SCHEDULED_TIMER_HANDLES && this._timerCancelledCount * 2 > timers.length) {
      timers.filter((t) => {
        if (t._dead) t._scheduled = false;
        return !t._dead;
      });
      this._timerCancelledCount = 0;
    } else {
      while (timers.length > 0 && timers.peek()!._dead) {
        timers.pop()!._scheduled = false;
        this._timerCancelledCount--;
      }
    }
    const top = timers.peek();
    if (top === undefined) return Infinity;
    return Math.max(0, top.when - this.time());
  }

  /** Starts an iteration: moves due timers to the ready queue and fixes how many entries it runs. */
  private _beginIteration(): void {
    const timers = this._timers;
    // No clock read without timers: a ping-pong begins an iteration every entry or two.
    const t = timers.length > 0 ? this.time() : 0;
    while (timers.length > 0) {
      const top = timers.peek()!;
      if (top._dead) {
        timers.pop();
        top._scheduled = false;
        this._timerCancelledCount--;
        continue;
      }
      if (top.when > t) break;
      timers.pop();
      top._scheduled = false;
      this._ready.push(top);
    }
    this._ntodo = this._ready.length;
  }

  private _finishRun(): void {
    this._stopping = false;
    this._drive = Drive.Off;
    this._clearNodeTimers();
    const done = this._onStop;
    this._onStop = this._onFatal = null;
    done?.();
  }
}
