/**
 * The debugger's hold on the loop: pause, resume, step, and stops at breakpoints. It is the loop's
 * LoopControl only while it needs to be (stopped, a stop pending, stepping, or breakpoints that are
 * checked before a task resumes); otherwise the loop runs its uncontrolled fast path.
 *
 * A stop is requested from wherever it is detected (a hook inside a task step, a command) and taken
 * at the next task switch (beforeRun) or, when nothing is ready, at once (the loop is idle). While
 * stopped, beforeRun answers false: no task step runs, and the loop's clock stands still, while
 * Node's own event loop keeps serving the debugger's socket and queuing I/O wakeups.
 */
import * as inspector from 'node:inspector';
import { Task } from '../task';
import { PENDING, CANCELLED } from '../future';
import type { EventLoop, LoopControl } from '../loop';
import type { Runnable } from '../handle';
import type { Instrument } from '../hooks';
import { userFrames } from '../stacks';
import { shortLocation } from '../protocol/describe';
import type { Frame, StopReason, StoppedMessage } from '../protocol/wire';
import { Breakpoints } from './breakpoints';
import { Freezer } from './freezer';
import { firstFrame } from './sampling';
import { throwSite } from './throwSite';
import { breakIntoJsDebugger } from '../jsStop/breakIntoJsDebugger';
import { holdingForJsDebugger } from './watchdog';
import { errorText } from './values';

export interface StopRequest {
  reason: StopReason;
  task?: Task<unknown> | null;
  /** A task no longer alive (its exception was never retrieved): its id and name. */
  goneTask?: { id: number; name: string };
  breakpointIds?: number[];
  /** reason 'breakpoint': which kind of breakpoint. */
  breakpoint?: 'suspend' | 'resume' | 'task';
  location?: Frame;
  /** Extra words for the description (an error's message). */
  detail?: string;
}

/**
 * What the agent remembers of a failed task until its exception is retrieved or reported. Plain
 * data only: a captured stack would keep the task alive (its call sites hold their receivers), and
 * the runtime reports the exception only once the task is collected.
 */
interface Failure {
  id: number;
  name: string;
  /** Where the exception was raised (or, when its stack shows no user frame, where the task last was). */
  location: Frame | undefined;
}

/** beforeRun's checks, in the order it makes them. */
const enum Check {
  None = 0,
  Task = 1,
  TaskResume = 2,
  Resume = 3,
}

/**
 * A task's name as text, whatever happens: the runtime keeps names as strings (asyncio's str(name)),
 * but a subclass may override getName, and a name must never make a breakpoint check throw inside
 * the program's loop.
 */
export function nameOf(task: Task<unknown>): string {
  try {
    const name: unknown = task.getName();
    // String() (not a template) converts a Symbol too; an object whose toString throws falls to the catch.
    return typeof name === 'string' ? name : String(name);
  } catch {
    return `Task-${task.id}`;
  }
}

type StepMode = { kind: 'step'; started: Task<unknown> | null } | { kind: 'task'; taskId: number } | { kind: 'out'; taskId: number };

/** What the controller needs from the agent's session. */
export interface ControlHost {
  /** Sends pending changes, then the stopped message. */
  sendStopped(msg: StoppedMessage): void;
  sendContinued(): void;
  /** The controller's needs changed: reinstall hooks. */
  reconfigure(): void;
  /** Whether the loop is waiting with nothing ready. */
  loopIdle(): boolean;
  /** The name of a task the agent knows, by id. */
  taskName(id: number): string | undefined;
}

export class Controller implements LoopControl {
  loop: EventLoop | null = null;
  readonly breakpoints = new Breakpoints();
  /** Frozen tasks and their held steps (freezer.ts). */
  readonly freezer = new Freezer();
  stopped = false;
  private pending: StopRequest | null = null;
  /**
   * Breakpoint stops asked for while one was already pending or taken (two tasks created in one
   * step, a task failing in a step that also hit a suspend breakpoint): each is taken in turn, the
   * next as soon as the loop goes on, before any other task step runs. Dropping them lost every
   * occurrence but the first.
   */
  private queued: StopRequest[] = [];
  private stepMode: StepMode | null = null;
  /** A resume-breakpoint stop was taken with a JS debugger attached: break into it when this task resumes. */
  jsBreakOnResume: Task<unknown> | null = null;
  /**
   * The task a stop was taken before (beforeRun answered false for it) and which of beforeRun's
   * checks stopped it (a Check), with the task's step count then. Going on from that stop runs the
   * same checks for the same step again: those up to this one are passed that once, or the stop
   * would repeat for ever. The step count tells that step from a later one (the loop may run the
   * task without asking beforeRun, when no breakpoint is left to check).
   */
  private held: { task: Task<unknown>; check: Check; steps: number } | null = null;
  /**
   * Failed tasks by their exception (while unretrievedException breakpoints are set): the runtime
   * may report the exception after the task itself was collected, and the stop must still name it.
   */
  private failures = new WeakMap<object, Failure>();

  constructor(private readonly host: ControlHost) {}

  // ------------------------------------------------------------ what needs installing

  /** Whether the loop must ask beforeRun before each entry. */
  get needsControl(): boolean {
    const b = this.breakpoints;
    return (
      this.stopped ||
      this.pending !== null ||
      this.stepMode !== null ||
      b.taskBreakpoints.length > 0 ||
      b.hasLifecycle('taskResume') ||
      b.hasResume ||
      // A frozen task's step is held in beforeRun; tasks to freeze as created may come at any moment.
      this.freezer.size > 0 ||
      this.freezer.names.length > 0
    );
  }

  /** Whether the per-task hooks (`hooks`: created, done, unretrieved) must run. */
  get needsHooks(): boolean {
    const b = this.breakpoints;
    return (
      this.stepMode !== null ||
      this.freezer.names.length > 0 ||
      b.hasLifecycle('taskCreated') ||
      b.hasLifecycle('taskFailed') ||
      b.hasLifecycle('taskCancelled') ||
      b.hasLifecycle('unretrievedException')
    );
  }

  /** Whether the per-step hook (`stepHooks`) must run: only while stepping or stopping at every suspension. */
  get needsStepHooks(): boolean {
    return this.stepMode !== null || this.breakpoints.hasLifecycle('taskSuspend');
  }

  /** Puts the controller in (or takes it out of) the loop. */
  applyControl(): void {
    const loop = this.loop;
    if (loop !== null && !loop.isClosed()) loop._control = this.needsControl ? this : null;
  }

  private changed(): void {
    this.applyControl();
    this.host.reconfigure();
  }

  /**
   * The debugger changed breakpoints: put the controller in the loop (or take it out) now, not at
   * the next stop. Resume-mode, task-name and taskResume breakpoints are checked in beforeRun, which
   * the loop asks only while the controller holds it; set while the program ran, they never stopped it.
   */
  breakpointsChanged(): void {
    this.changed();
  }

  // ------------------------------------------------------------ LoopControl

  beforeRun(item: Runnable): boolean | 'hold' {
    if (this.stopped) return false;
    // A frozen task's step is set aside before anything else looks at it: it is not "next".
    if (this.freezer.size > 0 && item instanceof Task && this.freezer.has(item as Task<unknown>)) {
      this.freezer.hold(item as Task<unknown>);
      return 'hold';
    }
    const p = this.pending;
    if (p !== null) {
      // A stop asked for elsewhere (pause, step, a lifecycle stop): taken before any check of this item.
      this.enterStop(p, item);
      return false;
    }
    if (!(item instanceof Task)) return true;
    const task = item as Task<unknown>;
    const held = this.held;
    const passed = held !== null && held.task === task && held.steps === task._steps ? held.check : Check.None;
    this.held = null;
    const sm = this.stepMode;
    if (sm !== null && sm.kind === 'step') {
      if (sm.started === null) {
        sm.started = task;
        return true;
      }
    }
    const b = this.breakpoints;
    if (passed < Check.Task && b.taskBreakpoints.length > 0) {
      const bp = b.matchTask(task.id, nameOf(task));
      if (bp !== null) {
        this.stopBefore(task, Check.Task, { reason: 'breakpoint', breakpoint: 'task', task, breakpointIds: [bp.id], location: firstFrame(task._suspendStack) });
        if (bp.once) this.changed();
        return false;
      }
    }
    if (passed < Check.TaskResume && b.hasLifecycle('taskResume') && b.matchLifecycle('taskResume', nameOf(task))) {
      this.stopBefore(task, Check.TaskResume, { reason: 'taskResume', task, location: firstFrame(task._suspendStack) });
      return false;
    }
    if (passed < Check.Resume && b.hasResume && task._suspendStack !== null && task._state === PENDING) {
      const hit = b.matchSource('resume', userFrames(task._suspendStack), nameOf(task));
      if (hit !== null) {
        if (inspector.url()) this.jsBreakOnResume = task;
        this.stopBefore(task, Check.Resume, { reason: 'breakpoint', breakpoint: 'resume', task, breakpointIds: hit.ids, location: hit.frame });
        return false;
      }
    }
    return true;
  }

  /** Stops before `task`'s step because of `check`; going on from here passes that check (and the ones before it) once. */
  private stopBefore(task: Task<unknown>, check: Check, req: StopRequest): void {
    this.held = { task, check, steps: task._steps };
    this.enterStop(req, task);
  }

  // ------------------------------------------------------------ hooks (installed only when needed)

  /** Per-task hooks (installed when needsHooks). A task's last step ends in afterTaskStep, then taskDone. */
  readonly hooks: Instrument = {
    taskCreated: (task: Task<unknown>) => {
      if (this.freezer.names.length > 0) this.freezer.freezeIfNamed(task, nameOf(task));
      if (this.breakpoints.matchLifecycle('taskCreated', nameOf(task))) this.requestStop({ reason: 'taskCreated', task, location: firstFrame(task._creationStack) });
    },
    taskDone: (task: Task<unknown>) => {
      const b = this.breakpoints;
      if (task._state === CANCELLED) {
        if (b.matchLifecycle('taskCancelled', nameOf(task))) this.requestStop({ reason: 'taskCancelled', task });
      } else if (task._hasException) {
        const e = task._exception;
        if (b.hasLifecycle('unretrievedException') && typeof e === 'object' && e !== null) {
          this.failures.set(e, { id: task.id, name: nameOf(task), location: taskLocation(task, e) });
        }
        if (b.matchLifecycle('taskFailed', nameOf(task))) this.requestStop({ reason: 'taskFailed', task, detail: errorText(e) });
      }
      // The step being stepped ended with the task (a lifecycle stop above takes precedence).
      const sm = this.stepMode;
      if (sm !== null && this.pending === null && (sm.kind === 'step' ? sm.started === task : sm.taskId === task.id)) this.requestStop({ reason: 'step', task });
    },
    unretrievedException: (fut: unknown, error: unknown) => this.onUnretrieved(fut, error),
  };

  /** The per-step hook (installed when needsStepHooks): stepping, and stops at every suspension. */
  readonly stepHooks: Instrument = {
    afterTaskStep: (task: Task<unknown>) => {
      // A finished task is taskDone's (above).
      if (task._state !== PENDING) return;
      const b = this.breakpoints;
      // Every step that leaves the task unfinished ended in a suspension, including `yield* sleep(0)`
      // (queued again at once, as asyncio's `await asyncio.sleep(0)`), and a suspend breakpoint on
      // that line stops there too. Not a step that yielded a wrong value: the task is queued to have
      // an error thrown in, it did not suspend anywhere.
      if (!task._hasPendingError && b.hasLifecycle('taskSuspend') && b.matchLifecycle('taskSuspend', nameOf(task))) {
        this.requestStop({ reason: 'taskSuspend', task, location: firstFrame(task._suspendStack) });
      }
      const sm = this.stepMode;
      if (sm === null || this.pending !== null) return;
      if (sm.kind === 'step' ? sm.started === task : sm.kind === 'task' && sm.taskId === task.id) {
        // While stepping every stack is taken (captureAll): this one is from the step that just ended.
        this.requestStop({ reason: 'step', task, location: firstFrame(task._suspendStack) });
      }
    },
  };

  /**
   * The runtime reports an exception nobody retrieved: when the future was collected (it can never
   * be retrieved now), or when the loop closes. The stop names the task even if it is gone.
   */
  private onUnretrieved(fut: unknown, error: unknown): void {
    const b = this.breakpoints;
    if (!b.hasLifecycle('unretrievedException')) return;
    const loop = this.loop;
    if (loop === null || loop.isClosed()) return;
    const task = fut instanceof Task ? (fut as Task<unknown>) : null;
    const known = typeof error === 'object' && error !== null ? this.failures.get(error) : undefined;
    const name = task !== null ? nameOf(task) : known?.name;
    if (!b.matchLifecycle('unretrievedException', name ?? '')) return;
    const req: StopRequest = { reason: 'unretrievedException', task, detail: errorText(error) };
    if (task === null && known !== undefined) req.goneTask = { id: known.id, name: known.name };
    const location = task !== null ? taskLocation(task, error) : known?.location;
    if (location) req.location = location;
    // The loop is closing (run() is ending it): there is no next task switch to stop at; say it now.
    if (!loop.isRunning()) this.enterStop(req, null);
    else this.requestStop(req);
  }

  /** Called inside a task's `suspending` hook when suspend breakpoints exist (the stack was just taken). */
  checkSuspend(task: Task<unknown>): void {
    if (task._suspendStack === null) return;
    const hit = this.breakpoints.matchSource('suspend', userFrames(task._suspendStack), nameOf(task));
    if (hit === null) return;
    const req: StopRequest = { reason: 'breakpoint', breakpoint: 'suspend', task, breakpointIds: hit.ids, location: hit.frame };
    if (inspector.url() && !this.stopped && this.pending === null) {
      // A JS debugger is attached: stop now, so its pause and ours describe the same moment.
      this.enterStop(req, null);
      jsStop(nameOf(task), 'breakpoint');
    } else this.requestStop(req);
  }

  /** Called in a task's `resuming` hook when a resume breakpoint stopped it with a JS debugger attached. */
  checkResume(task: Task<unknown>): void {
    if (this.jsBreakOnResume !== task) return;
    this.jsBreakOnResume = null;
    jsStop(nameOf(task), 'resume breakpoint');
  }

  // ------------------------------------------------------------ stopping and going on

  /**
   * Stops at the next task switch (or now, if the loop is idle). While a stop is pending or taken, a
   * breakpoint stop waits its turn (queued); a pause, a step's end or entry has nothing to add.
   */
  requestStop(req: StopRequest): void {
    if (this.stopped || this.pending !== null) {
      if (req.reason !== 'pause' && req.reason !== 'step' && req.reason !== 'entry') this.queued.push(req);
      return;
    }
    this.pending = req;
    this.stepMode = null;
    if (this.host.loopIdle()) {
      this.enterStop(req, null);
      return;
    }
    this.changed();
  }

  /**
   * The loop is about to wait with nothing ready (for `delayMs`, Infinity: until outside work comes):
   * a pending stop is taken now. With thawWhenIdle, a wait for ever while tasks are frozen means
   * nothing else can run: every frozen task is thawed (returned), and the loop goes on with them.
   */
  onIdle(delayMs = Infinity): Task<unknown>[] {
    const p = this.pending;
    if (p !== null && !this.stopped) {
      this.enterStop(p, null);
      return [];
    }
    if (this.stopped || delayMs !== Infinity || !this.freezer.thawWhenIdle || this.freezer.size === 0) return [];
    return this.thawAll();
  }

  // ------------------------------------------------------------ freezing

  /** Freezes `task`: it takes no step until thawed (see freezer.ts). False if it already was frozen. */
  freeze(task: Task<unknown>): boolean {
    const changed = this.freezer.freeze(task);
    if (changed) this.changed();
    return changed;
  }

  /** Thaws `task`: its held step, if any, goes to the end of the ready queue. False if it was not frozen. */
  thaw(task: Task<unknown>): boolean {
    const changed = this.freezer.thaw(task, this.liveLoop());
    if (changed) this.changed();
    return changed;
  }

  /** Thaws every frozen task; returns them. */
  thawAll(): Task<unknown>[] {
    const thawed = this.freezer.thawAll(this.liveLoop());
    if (thawed.length > 0) this.changed();
    return thawed;
  }

  private liveLoop(): EventLoop | null {
    const loop = this.loop;
    return loop !== null && !loop.isClosed() ? loop : null;
  }

  private enterStop(req: StopRequest, next: Runnable | null): void {
    const loop = this.loop;
    this.pending = null;
    this.stepMode = null;
    this.stopped = true;
    loop?._setPaused(true);
    this.changed();
    const task = req.task ?? null;
    let nextTask: Task<unknown> | null = next instanceof Task ? (next as Task<unknown>) : null;
    if (nextTask === null && loop !== null) {
      for (const r of loop.readyQueue()) {
        if (r instanceof Task && !this.freezer.has(r as Task<unknown>)) {
          nextTask = r as Task<unknown>;
          break;
        }
      }
    }
    const about = task ?? (req.reason === 'pause' || req.reason === 'entry' ? nextTask : null);
    const msg: StoppedMessage = { type: 'stopped', reason: req.reason, description: describeStop(req, about, nextTask, (id) => this.host.taskName(id)) };
    if (about !== null) msg.taskId = about.id;
    else if (req.goneTask) msg.taskId = req.goneTask.id;
    if (req.breakpointIds) msg.breakpointIds = req.breakpointIds;
    const loc = req.location ?? (about !== null ? firstFrame(about._suspendStack) : undefined);
    if (loc) msg.location = loc;
    if (nextTask !== null) msg.nextTaskId = nextTask.id;
    this.host.sendStopped(msg);
  }

  resume(): void {
    const wasStopped = this.stopped;
    this.stopped = false;
    this.pending = this.queued.shift() ?? null;
    this.stepMode = null;
    this.go(wasStopped);
  }

  /** Runs one task step (the next task's), then stops. */
  step(): void {
    this.startStep({ kind: 'step', started: null });
  }

  /** Runs until `taskId`'s next step ends, then stops. */
  stepTask(taskId: number): void {
    this.startStep({ kind: 'task', taskId });
  }

  /** Runs until `taskId` finishes, then stops. */
  stepOut(taskId: number): void {
    this.startStep({ kind: 'out', taskId });
  }

  private startStep(mode: StepMode): void {
    const wasStopped = this.stopped;
    this.stopped = false;
    // A breakpoint stop still waiting its turn comes first (it happened before this step).
    this.pending = this.queued.shift() ?? null;
    this.stepMode = this.pending === null ? mode : null;
    this.go(wasStopped);
  }

  private go(wasStopped: boolean): void {
    this.changed();
    const loop = this.loop;
    if (loop !== null && !loop.isClosed()) {
      loop._setPaused(false);
      loop.resumeLoop();
    }
    if (wasStopped) this.host.sendContinued();
  }

  /** Lets go of the loop entirely (the debugger left): no stop, no stepping, the loop runs on. */
  release(): void {
    // A debugger must never leave the program changed: what it froze runs again.
    this.freezer.names = [];
    this.freezer.thawWhenIdle = false;
    this.freezer.thawAll(this.liveLoop());
    this.failures = new WeakMap();
    this.pending = null;
    this.queued = [];
    this.stepMode = null;
    this.jsBreakOnResume = null;
    this.held = null;
    this.breakpoints.setSource([]);
    this.breakpoints.setLifecycle([]);
    this.breakpoints.taskBreakpoints = [];
    const wasStopped = this.stopped;
    this.stopped = false;
    const loop = this.loop;
    if (loop !== null && !loop.isClosed()) {
      loop._control = null;
      if (wasStopped) {
        loop._setPaused(false);
        loop.resumeLoop();
      }
    }
  }

  /** The loop closed: whatever was pending can no longer happen. */
  loopClosed(): void {
    this.freezer.clear();
    this.pending = null;
    this.queued = [];
    this.held = null;
    this.stepMode = null;
    this.stopped = false;
    this.loop = null;
  }
}

/** Where a failed task raised `error`, else where it last suspended or was created. */
function taskLocation(task: Task<unknown>, error: unknown): Frame | undefined {
  return throwSite(error) ?? firstFrame(task._suspendStack ?? task._creationStack);
}

/** One sentence about a stop, e.g. "worker-2 suspends at crawler.ts:41" (the stopped message's description). */
export function describeStop(req: StopRequest, task: Task<unknown> | null, next: Task<unknown> | null, nameById: (id: number) => string | undefined = () => undefined): string {
  const name = task !== null ? nameOf(task) : (req.goneTask?.name ?? '');
  const loc = req.location ? shortLocation(req.location) : '';
  const at = loc ? ` at ${loc}` : '';
  // A task about to run: from where it suspended, or its first step.
  const aboutToRun = () => (task !== null && task._steps === 0 ? `${name} is about to start` : `${name} is about to resume${loc ? ` from ${loc}` : ''}`);
  switch (req.reason) {
    case 'entry':
      return next !== null ? `stopped on entry, before ${nameOf(next)} starts` : 'stopped on entry';
    case 'pause':
      return next !== null ? `paused before ${nameOf(next)} ${next._steps === 0 ? 'starts' : 'resumes'}` : 'paused (the loop is idle: no task is ready)';
    case 'step': {
      if (task === null) return 'stepped';
      const s = task._state;
      if (s === PENDING) return `${name} stepped: now ${task._queued ? 'ready' : 'suspended'}${at}`;
      return `${name} stepped: it finished (${s === CANCELLED ? 'cancelled' : task._hasException ? 'failed' : 'done'})`;
    }
    case 'breakpoint':
      if (req.breakpoint === 'suspend') return `${name} suspends${at}`;
      if (req.breakpoint === 'resume' || req.breakpoint === 'task') return aboutToRun();
      return `${name} hit a breakpoint${at}`;
    case 'taskCreated':
      return `${name} created${at}`;
    case 'taskSuspend':
      return `${name} suspended${at}`;
    case 'taskResume':
      return aboutToRun();
    case 'taskFailed':
      return `${name} failed${req.detail ? `: ${req.detail}` : ''}`;
    case 'taskCancelled': {
      const by = task !== null ? task._cancelledBy : 0;
      const who = by === 0 ? '' : by === task!.id ? ' by itself' : ` by ${nameById(by) ?? `task #${by}`}`;
      return `${name} was cancelled${who}`;
    }
    case 'unretrievedException': {
      const what = req.detail ? `: ${req.detail}${at}` : at;
      return name ? `${name} failed and its exception was never retrieved${what}` : `an exception was never retrieved${what}`;
    }
    default:
      return String(req.reason);
  }
}

/** Stops an attached JavaScript debugger; the watchdog knows the thread is held on purpose meanwhile, not blocked. */
function jsStop(task: string, why: string): void {
  holdingForJsDebugger(true);
  try {
    breakIntoJsDebugger({ task, why });
  } finally {
    holdingForJsDebugger(false);
  }
}
