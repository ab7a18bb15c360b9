import { CancelledError, InvalidStateError, RuntimeError } from './errors';
import { Future, PENDING, FINISHED } from './future';
import { hooks, onHooksChanged, instrumentsOf, reportHookError, type Instrument, type HookName } from './hooks';
import type { EventLoop } from './loop';
import { getRunningLoop } from './running';
import { DRIVEN, RESUME, SLEEP0, isCoroutine, type Coroutine } from './coroutine';
import type { CapturedStack } from './stacks';
import { siteStack } from './sites/registry';
import { isInstance, safeString } from './safeText';

let nextTaskId = 1;

type Marked = { [DRIVEN]?: boolean };

/**
 * Driven coroutines that cannot carry the DRIVEN mark (frozen or otherwise non-extensible iterator
 * objects): created only if one shows up, so ordinary programs never pay for a weak collection.
 */
let unmarkable: WeakSet<object> | null = null;

export interface TaskOptions {
  name?: string;
}

/**
 * asyncio's Task: drives a coroutine one step at a time on the loop. Each step runs the coroutine
 * until it yields (suspends on a future, or gives up one loop iteration) or finishes. Cancellation
 * throws CancelledError into the coroutine at its suspension point.
 */
export class Task<T = unknown> extends Future<T> {
  readonly id: number;
  readonly _coro: Coroutine<T>;
  _name: string | null;
  /** The future this task is suspended on, if any (asyncio's _fut_waiter). */
  _futWaiter: Future<unknown> | null = null;
  _mustCancel = false;
  _numCancelsRequested = 0;
  /** The future whose completion woke this task; read by the step that follows. */
  _wakeFuture: Future<unknown> | null = null;
  /** An error to throw into the coroutine at its next step (a misuse found at the last yield). */
  _pendingError: unknown = undefined;
  _hasPendingError = false;
  /** True while the task's next step sits in the ready queue. */
  _queued = false;
  readonly parentId: number;
  /** Steps taken so far. */
  _steps = 0;
  /** A stack captured where the coroutine last suspended (only for code the await-site transform did not see). */
  _capturedSuspend: CapturedStack | null = null;
  /** Where the task was created, when an instrument asked for stacks. */
  _creationStack: CapturedStack | null = null;
  /**
   * Where the coroutine's frames are suspended, written by transformed code (sites/key.ts): the
   * site id of each frame's current `yield*`, outermost first, and how many frames deep it is.
   */
  _sites: number[] | null = null;
  _depth = 0;
  /** Slot for the instrumentation agent's per-task record; null while nothing watches. */
  _meta: unknown = null;
  /** Neighbours in the loop's list of unfinished tasks (taskList.ts). */
  _prevLive: Task<unknown> | null = null;
  _nextLive: Task<unknown> | null = null;
  /** The task that requested the pending cancellation (cancel() called inside it), or 0: for the debugger's "cancelled by". */
  _cancelledBy = 0;
  /** Tasks are never cancelled ready-queue handles (declared on the prototype: no per-task memory). */
  declare _dead: boolean;

  constructor(coro: Coroutine<T>, options?: TaskOptions, loop: EventLoop = getRunningLoop()) {
    super(loop);
    checkCoroutine(coro);
    // As asyncio's str(name): a name of any type (a number, a Symbol) becomes text once, here, before
    // anything else is done (a name whose conversion throws leaves the coroutine free for another task).
    const name = options?.name;
    this._name = name == null ? null : String(name);
    // A coroutine has one position: a second task driving it would interleave two runs of it.
    const driven = (coro as Marked)[DRIVEN];
    if (driven === true || (unmarkable !== null && unmarkable.has(coro))) {
      throw new RuntimeError('this coroutine object is already driven by another task; call the coroutine function again to get a new one');
    }
    // (false: a stateless iterator, sleep(0)'s, that any number of tasks may drive.)
    if (driven === undefined) {
      // A property, not a module WeakSet: weak collections cost every scavenge (spawn ran 1.9x slower).
      try {
        (coro as Marked)[DRIVEN] = true;
      } catch {
        (unmarkable ??= new WeakSet()).add(coro);
      }
    }
    this._coro = coro;
    this.id = nextTaskId++;
    const parent = loop._currentTask;
    this.parentId = parent ? parent.id : 0;
    loop._registerTask(this as Task<unknown>);
    this._onCreated(parent);
    this._enqueue();
  }

  /**
   * Where the coroutine last suspended: its await chain from the sites transformed code recorded
   * (exact, and free until read), or else a stack an instrument captured there.
   */
  get _suspendStack(): CapturedStack | null {
    return this._sites !== null ? siteStack(this) : this._capturedSuspend;
  }

  set _suspendStack(stack: CapturedStack | null) {
    this._capturedSuspend = stack;
  }

  getName(): string {
    return this._name ?? `Task-${this.id}`;
  }

  setName(name: string): void {
    this._name = String(name);
  }

  getCoro(): Coroutine<T> {
    return this._coro;
  }

  /** The future this task is suspended on (null while ready, running or done). */
  waitingOn(): Future<unknown> | null {
    return this._futWaiter;
  }

  /** Steps this task has run. */
  steps(): number {
    return this._steps;
  }

  override setResult(_result: T): never {
    throw new RuntimeError('Task does not support setResult(); its coroutine returns the result');
  }

  override setException(_exception: unknown): never {
    throw new RuntimeError('Task does not support setException(); its coroutine throws the exception');
  }

  /**
   * Requests cancellation: throws CancelledError into the coroutine at its suspension point (and
   * cancels what it awaits). Returns false if the task is already done. The coroutine may catch the
   * error and carry on; then the task is not cancelled.
   */
  override cancel(msg?: string): boolean {
    this._markRetrieved();
    if (this._state !== PENDING) return false;
    this._numCancelsRequested += 1;
    // The first request is the cause; cancel() from a callback (a timeout, a TaskGroup aborting) names no task.
    if (this._cancelledBy === 0) this._cancelledBy = this._loop._currentTask?.id ?? 0;
    const w = this._futWaiter;
    if (w !== null && w.cancel(msg)) return true;
    // Cancel at the next step instead.
    this._mustCancel = true;
    this._cancelMessage = msg;
    return true;
  }

  /** How many cancellation requests are pending (asyncio 3.11's cancelling()). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Withdraws one cancellation request; returns the count left. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) {
      this._numCancelsRequested -= 1;
      if (this._numCancelsRequested === 0) {
        this._mustCancel = false;
        this._cancelledBy = 0;
      }
    }
    return this._numCancelsRequested;
  }

  /** Puts this task's next step on the ready queue. */
  _enqueue(): void {
    if (this._queued) throw new RuntimeError(`internal: ${this} scheduled twice`);
    this._queued = true;
    this._loop._ready.push(this);
    this._loop._wakeIfIdle();
    this._onScheduled();
  }

  /** The future this task awaited is done: wake the task (asyncio's __wakeup, via the ready queue). */
  _scheduleWakeup(fut: Future<unknown>): void {
    this._wakeFuture = fut;
    this._enqueue();
  }

  _scheduleError(err: unknown): void {
    this._pendingError = err;
    this._hasPendingError = true;
    this._enqueue();
  }

  /** Runs the step the ready queue holds for this task. */
  _run(): void {
    this._queued = false;
    const fut = this._wakeFuture;
    if (fut !== null) {
      this._wakeFuture = null;
      // __wakeup: the awaited future's exception (or cancellation) is thrown into the coroutine.
      if (fut._state === FINISHED && !fut._hasException) this._step(false, undefined);
      else {
        let err: unknown;
        try {
          fut.result();
        } catch (e) {
          err = e;
        }
        this._step(true, err);
      }
    } else if (this._hasPendingError) {
      const err = this._pendingError;
      this._pendingError = undefined;
      this._hasPendingError = false;
      this._step(true, err);
    } else {
      // The first step, or the step after a SLEEP0 yield: resume a suspended sleep(0) with RESUME
      // (a hand-written iterator's first next() must see undefined, as a generator's would).
      this._step(false, this._steps === 0 ? undefined : RESUME);
    }
  }

  /** Runs one step: throws `arg` into the coroutine when `hasExc`, else sends it with next(). */
  _step(hasExc: boolean, arg: unknown): void {
    if (this._state !== PENDING) throw new InvalidStateError(`_step(): already done: ${this}`);
    if (this._mustCancel) {
      if (!(hasExc && isInstance(arg, CancelledError))) {
        arg = this._makeCancelledError();
        hasExc = true;
      }
      this._mustCancel = false;
    }
    this._futWaiter = null;
    const loop = this._loop;
    if (loop._currentTask !== null) {
      throw new RuntimeError(`Cannot enter into task ${this} while another task ${loop._currentTask} is being executed.`);
    }
    loop._currentTask = this as Task<unknown>;
    this._steps++;
    this._onStepStart();
    try {
      this._runAndHandle(hasExc, arg);
    } finally {
      loop._currentTask = null;
    }
    this._onStepEnd();
    if (this._state !== PENDING) {
      loop._unregisterTask(this as Task<unknown>);
      this._onDone();
    }
  }

  // The instrument hook points of a task (hooks.ts). They do nothing on the prototype while no
  // instrument implements their hook, and V8 inlines an empty method to nothing: an unwatched task
  // pays nothing for them, where reading the hook table at each site (these and the awaiters') cost
  // 7 % of a switch against the build without hook sites (bench/ab.mjs). When instruments change,
  // the callers below are swapped in or out.
  _onCreated(_parent: Task<unknown> | null): void {}
  _onScheduled(): void {}
  _onStepStart(): void {}
  _onStepEnd(): void {}
  _onDone(): void {}

  private _runAndHandle(hasExc: boolean, arg: unknown): void {
    const coro = this._coro;
    let r: IteratorResult<unknown, T>;
    try {
      r = hasExc ? coro.throw(arg) : coro.next(arg);
    } catch (err) {
      // Anything can be thrown (null, a revoked Proxy that throws even on instanceof): each settles the task.
      if (isInstance(err, CancelledError)) {
        this._cancelledExc = err;
        super.cancel();
      } else {
        this._setException(err);
      }
      return;
    }
    if (r.done) {
      if (this._mustCancel) {
        // Cancelled right before the coroutine returned.
        this._mustCancel = false;
        super.cancel(this._cancelMessage);
      } else {
        this._setResult(r.value);
      }
      return;
    }
    const y = r.value;
    if (y === SLEEP0) {
      // A bare yield: give up the loop for one iteration (checked first: sleep(0) is the hottest path).
      this._enqueue();
    } else if (isInstance(y, Future)) {
      if (y._loop !== this._loop) {
        this._scheduleError(new RuntimeError(`Task ${this} got Future ${y} attached to a different loop`));
      } else if (y._blocking) {
        if (y === (this as unknown)) {
          this._scheduleError(new RuntimeError(`Task cannot await on itself: ${this}`));
        } else {
          y._blocking = false;
          y._addWaiter(this as Task<unknown>);
          this._futWaiter = y;
          if (this._mustCancel && y.cancel(this._cancelMessage)) this._mustCancel = false;
        }
      } else {
        this._scheduleError(new RuntimeError(`yield was used instead of yield* in task ${this} with ${y}: write \`yield* future\``));
      }
    } else {
      this._scheduleError(new RuntimeError(badYieldMessage(this as Task<unknown>, y)));
    }
  }

  override toString(): string {
    const state = this._state === PENDING ? (this._futWaiter ? 'pending, waiting' : 'pending') : this._stateName().toLowerCase();
    return `<Task ${state} name='${this.getName()}'>`;
  }
}

// Tasks are ready-queue entries; they are never "cancelled handles".
(Task.prototype as unknown as { _dead: boolean })._dead = false;


/** What an unwatched hook point is. */
function idle(): void {}

/**
 * A task's hook point, made for the instruments installed now: a function that calls each
 * instrument's method by name, one call site per instrument, with no table and no bound function,
 * so V8 inlines the hooks into the step (two per-step hooks: ~25 instructions a switch, against
 * ~390 through the table; callgrind, switch workload). Written as source because a loop over the
 * instruments, or calls through a variable name, gave one polymorphic call site that V8 did not
 * inline (profiled: the loop itself took a quarter of the agent's time on switch).
 */
function hookPoint(method: HookName, all: Instrument[], withArg: boolean): (this: Task<unknown>, arg?: unknown) => void {
  const names = all.map((_, i) => `i${i}`);
  const arg = withArg ? ', a' : '';
  const body = names.map((n) => `try { ${n}.${method}(this${arg}); } catch (e) { report(e); }`).join('\n');
  const make = new Function(...names, 'report', `return function (${withArg ? 'a' : ''}) {\n${body}\n};`);
  return make(...all, reportHookError);
}

onHooksChanged(() => {
  const p = Task.prototype;
  // Each table read written out (hooks.X): the bench's build without hook sites compiles them to null.
  p._onCreated = hooks.taskCreated !== null ? hookPoint('taskCreated', instrumentsOf('taskCreated'), true) : idle;
  p._onScheduled = hooks.taskScheduled !== null ? hookPoint('taskScheduled', instrumentsOf('taskScheduled'), false) : idle;
  p._onStepStart = hooks.beforeTaskStep !== null ? hookPoint('beforeTaskStep', instrumentsOf('beforeTaskStep'), false) : idle;
  p._onStepEnd = hooks.afterTaskStep !== null ? hookPoint('afterTaskStep', instrumentsOf('afterTaskStep'), false) : idle;
  p._onDone = hooks.taskDone !== null ? hookPoint('taskDone', instrumentsOf('taskDone'), false) : idle;
});

/** A value in a misuse message; never throws (a Proxy's traps may). */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[object]';
    }
  }
  return safeString(value);
}

/** Whether reading `key` of `value` gives a function; false when reading throws. */
function hasMethod(value: unknown, key: string): boolean {
  try {
    return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'function';
  } catch {
    return false;
  }
}

function badYieldMessage(task: Task<unknown>, y: unknown): string {
  if (isInstance(y, Promise) || hasMethod(y, 'then')) {
    return `Task ${task} yielded a Promise: await it with \`yield* fromPromise(promise)\``;
  }
  if (hasMethod(y, 'next') && hasMethod(y, 'throw')) return `Task ${task} yielded a coroutine: await it with \`yield* coro\` (yield*, not yield)`;
  if (y === undefined) return `Task ${task} got a bare yield: to give up the loop for one iteration write \`yield* sleep(0)\``;
  return `Task got bad yield: ${describe(y)} in ${task}: coroutines await with \`yield*\` a coroutine, Future or Task`;
}

/** A clear error for what users pass to createTask by mistake. */
export function checkCoroutine(coro: unknown): asserts coro is Coroutine<unknown> {
  if (isCoroutine(coro)) return;
  if (typeof coro === 'function') {
    const name = coro.name || 'fn';
    throw new TypeError(`a coroutine was expected, got the function ${name}: call it (${name}()) to make the coroutine`);
  }
  if (coro instanceof Promise) {
    throw new TypeError('a coroutine was expected, got a Promise: write the coroutine as a generator function (function*), or await the Promise with fromPromise()');
  }
  throw new TypeError(`a coroutine was expected, got ${describe(coro)}`);
}
