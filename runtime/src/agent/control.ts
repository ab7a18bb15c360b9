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
import { firstFrame } from './recorder';

export interface StopRequest {
  reason: StopReason;
  task?: Task<unknown> | null;
  breakpointIds?: number[];
  location?: Frame;
  /** Extra words for the description (an error's message). */
  detail?: string;
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
}

/** Stops a JavaScript debugger (if one is attached) in this frame, with the task's coroutine frames below it. */
function breakIntoJsDebugger(stop: { task: string; why: string }): void {
  if (!inspector.url()) return;
  // The JavaScript debugger stops on the next line. The frames below this one are the user's
  // coroutine (the task `stop.task`), whose locals can be inspected; continue to go on.
  void stop;
  // eslint-disable-next-line no-debugger
  debugger;
}

export class Controller implements LoopControl {
  loop: EventLoop | null = null;
  readonly breakpoints = new Breakpoints();
  stopped = false;
  private pending: StopRequest | null = null;
  private stepMode: StepMode | null = null;
  /** A resume-breakpoint stop was taken with a JS debugger attached: break into it when this task resumes. */
  jsBreakOnResume: Task<unknown> | null = null;

  constructor(private readonly host: ControlHost) {}

  // ------------------------------------------------------------ what needs installing

  /** Whether the loop must ask beforeRun before each entry. */
  get needsControl(): boolean {
    const b = this.breakpoints;
    return this.stopped || this.pending !== null || this.stepMode !== null || b.taskBreakpoints.length > 0 || b.hasLifecycle('taskResume') || b.hasResume;
  }

  /** Whether the step/lifecycle hooks must run. */
  get needsHooks(): boolean {
    const b = this.breakpoints;
    return (
      this.stepMode !== null ||
      b.hasLifecycle('taskCreated') ||
      b.hasLifecycle('taskSuspend') ||
      b.hasLifecycle('taskFailed') ||
      b.hasLifecycle('taskCancelled') ||
      b.hasLifecycle('unretrievedException')
    );
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

  // ------------------------------------------------------------ LoopControl

  beforeRun(item: Runnable): boolean {
    if (this.stopped) return false;
    const p = this.pending;
    if (p !== null) {
      this.enterStop(p, item);
      return false;
    }
    if (!(item instanceof Task)) return true;
    const task = item as Task<unknown>;
    const sm = this.stepMode;
    if (sm !== null && sm.kind === 'step') {
      if (sm.started === null) {
        sm.started = task;
        return true;
      }
    }
    const b = this.breakpoints;
    if (b.taskBreakpoints.length > 0) {
      const bp = b.matchTask(task.id, task.getName());
      if (bp !== null) {
        this.enterStop({ reason: 'breakpoint', task, breakpointIds: [bp.id], location: firstFrame(task._suspendStack), detail: 'is about to resume' }, item);
        if (bp.once) this.changed();
        return false;
      }
    }
    if (b.hasLifecycle('taskResume') && b.matchLifecycle('taskResume', task.getName())) {
      this.enterStop({ reason: 'taskResume', task, location: firstFrame(task._suspendStack) }, item);
      return false;
    }
    if (b.hasResume && task._suspendStack !== null && task._state === PENDING) {
      const hit = b.matchSource('resume', userFrames(task._suspendStack), task.getName());
      if (hit !== null) {
        if (inspector.url()) this.jsBreakOnResume = task;
        this.enterStop({ reason: 'breakpoint', task, breakpointIds: hit.ids, location: hit.frame, detail: 'is about to resume from' }, item);
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------ hooks (installed only when needsHooks)

  readonly hooks: Instrument = {
    taskCreated: (task: Task<unknown>) => {
      if (this.breakpoints.matchLifecycle('taskCreated', task.getName())) this.requestStop({ reason: 'taskCreated', task, location: firstFrame(task._creationStack) });
    },
    afterTaskStep: (task: Task<unknown>) => {
      const b = this.breakpoints;
      const s = task._state;
      if (s === PENDING) {
        if (!task._queued && b.hasLifecycle('taskSuspend') && b.matchLifecycle('taskSuspend', task.getName())) {
          this.requestStop({ reason: 'taskSuspend', task, location: firstFrame(task._suspendStack) });
        }
      } else if (s === CANCELLED) {
        if (b.matchLifecycle('taskCancelled', task.getName())) this.requestStop({ reason: 'taskCancelled', task });
      } else if (task._hasException && b.matchLifecycle('taskFailed', task.getName())) {
        const e = task._exception;
        this.requestStop({ reason: 'taskFailed', task, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
      const sm = this.stepMode;
      if (sm === null || this.pending !== null) return;
      if (sm.kind === 'step' ? sm.started === task : sm.kind === 'task' ? sm.taskId === task.id : sm.taskId === task.id && s !== PENDING) {
        this.requestStop({ reason: 'step', task, location: s === PENDING ? firstFrame(task._suspendStack) : undefined });
      }
    },
    unretrievedException: (_fut: unknown, error: unknown) => {
      if (!this.breakpoints.hasLifecycle('unretrievedException')) return;
      const loop = this.loop;
      if (loop === null || loop.isClosed()) return;
      this.requestStop({ reason: 'unretrievedException', detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    },
  };

  /** Called inside a task's `suspending` hook when suspend breakpoints exist (the stack was just taken). */
  checkSuspend(task: Task<unknown>): void {
    if (task._suspendStack === null || this.stopped || this.pending !== null) return;
    const hit = this.breakpoints.matchSource('suspend', userFrames(task._suspendStack), task.getName());
    if (hit === null) return;
    const req: StopRequest = { reason: 'breakpoint', task, breakpointIds: hit.ids, location: hit.frame, detail: 'suspends' };
    if (inspector.url()) {
      // A JS debugger is attached: stop now, so its pause and ours describe the same moment.
      this.enterStop(req, null);
      breakIntoJsDebugger({ task: task.getName(), why: 'breakpoint' });
    } else this.requestStop(req);
  }

  /** Called in a task's `resuming` hook when a resume breakpoint stopped it with a JS debugger attached. */
  checkResume(task: Task<unknown>): void {
    if (this.jsBreakOnResume !== task) return;
    this.jsBreakOnResume = null;
    breakIntoJsDebugger({ task: task.getName(), why: 'resume breakpoint' });
  }

  // ------------------------------------------------------------ stopping and going on

  /** Stops at the next task switch (or now, if the loop is idle). A stop already pending wins. */
  requestStop(req: StopRequest): void {
    if (this.stopped || this.pending !== null) return;
    this.pending = req;
    this.stepMode = null;
    if (this.host.loopIdle()) {
      this.enterStop(req, null);
      return;
    }
    this.changed();
  }

  /** The loop is about to wait with nothing ready: a pending stop is taken now. */
  onIdle(): void {
    const p = this.pending;
    if (p !== null && !this.stopped) this.enterStop(p, null);
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
        if (r instanceof Task) {
          nextTask = r as Task<unknown>;
          break;
        }
      }
    }
    const about = task ?? (req.reason === 'pause' || req.reason === 'entry' ? nextTask : null);
    const msg: StoppedMessage = { type: 'stopped', reason: req.reason, description: describeStop(req, about, nextTask) };
    if (about !== null) msg.taskId = about.id;
    if (req.breakpointIds) msg.breakpointIds = req.breakpointIds;
    const loc = req.location ?? (about !== null ? firstFrame(about._suspendStack) : undefined);
    if (loc) msg.location = loc;
    if (nextTask !== null) msg.nextTaskId = nextTask.id;
    this.host.sendStopped(msg);
  }

  resume(): void {
    const wasStopped = this.stopped;
    this.stopped = false;
    this.pending = null;
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
    this.pending = null;
    this.stepMode = mode;
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
    this.pending = null;
    this.stepMode = null;
    this.jsBreakOnResume = null;
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
    this.pending = null;
    this.stepMode = null;
    this.stopped = false;
    this.loop = null;
  }
}

function describeStop(req: StopRequest, task: Task<unknown> | null, next: Task<unknown> | null): string {
  const name = task !== null ? task.getName() : '';
  const at = req.location ? ` at ${shortLocation(req.location)}` : '';
  switch (req.reason) {
    case 'entry':
      return next !== null ? `stopped on entry, before ${next.getName()} starts` : 'stopped on entry';
    case 'pause':
      return next !== null ? `paused before ${next.getName()} resumes` : 'paused (the loop is idle: no task is ready)';
    case 'step': {
      if (task === null) return 'stepped';
      const s = task._state;
      if (s === PENDING) return `${name} stepped: now ${task._queued ? 'ready' : 'suspended'}${at}`;
      return `${name} stepped: it finished (${s === CANCELLED ? 'cancelled' : task._hasException ? 'failed' : 'done'})`;
    }
    case 'breakpoint':
      return `${name} ${req.detail ?? 'hit a breakpoint'}${at}`;
    case 'taskCreated':
      return `${name} created${at}`;
    case 'taskSuspend':
      return `${name} suspended${at}`;
    case 'taskResume':
      return `${name} is about to resume${at}`;
    case 'taskFailed':
      return `${name} failed${req.detail ? `: ${req.detail}` : ''}`;
    case 'taskCancelled':
      return `${name} was cancelled`;
    case 'unretrievedException':
      return `an exception was never retrieved${req.detail ? `: ${req.detail}` : ''}`;
    default:
      return String(req.reason);
  }
}
