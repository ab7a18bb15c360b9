/**
 * The debugger's commands: arguments checked (a bad request gets a `bad-arguments` error naming
 * what is wrong, never an exception in the program), then carried out on the session.
 */
import { Task } from '../task';
import { PENDING } from '../future';
import type { AgentOptions, CommandMap, CommandName, ErrorCode, LifecycleBreakpoint, SourceBreakpoint, TaskBreakpoint } from '../protocol/wire';
import { LIFECYCLE_KINDS } from './breakpoints';
import type { Controller } from './control';
import type { Recorder } from './recorder';
import { taskDetails } from './details';
import type { EventLoop } from '../loop';
import { quote } from '../protocol/quote';

export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What commands act on. */
export interface CommandTarget {
  readonly recorder: Recorder;
  readonly controller: Controller;
  currentLoop(): EventLoop | null;
  /** Sends a fresh snapshot message. */
  resendSnapshot(): void;
  /** Applies options; returns the options now in force. */
  setOptions(o: AgentOptions): Required<AgentOptions>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): never {
  throw new CommandError('bad-arguments', message);
}

function intArg(args: Record<string, unknown>, key: string, command: string): number {
  const v = args[key];
  if (!Number.isInteger(v)) bad(`${command}: "${key}" must be an integer, got ${quote(v)}`);
  return v as number;
}

function optString(o: Record<string, unknown>, key: string, where: string): void {
  if (o[key] !== undefined && typeof o[key] !== 'string') bad(`${where}: "${key}" must be a string`);
}

function liveTask(t: CommandTarget, id: number, command: string): Task<unknown> {
  const task = t.recorder.tasks.get(id);
  if (task === undefined || task._state !== PENDING) throw new CommandError('unknown-task', `${command}: no unfinished task with id ${id}`);
  return task;
}

function knownTask(t: CommandTarget, id: number, command: string): Task<unknown> {
  const task = t.recorder.tasks.get(id);
  if (task === undefined) throw new CommandError('unknown-task', `${command}: no task with id ${id} (finished tasks are forgotten once sent)`);
  return task;
}

function requireStopped(t: CommandTarget, command: string): void {
  if (!t.controller.stopped) throw new CommandError('not-ready', `${command}: the loop is running; pause it first`);
  if (t.currentLoop() === null) throw new CommandError('not-ready', `${command}: no loop is running`);
}

/** Stepping a frozen task would wait for ever: said at once instead. */
function notFrozen(t: CommandTarget, task: Task<unknown>, command: string): void {
  if (t.controller.freezer.has(task)) throw new CommandError('not-ready', `${command}: ${task.getName()} is frozen; thaw it first (thawTask)`);
}

type Handler = (t: CommandTarget, args: Record<string, unknown>) => unknown;

const handlers: { [C in CommandName]: Handler } = {
  pause(t) {
    if (t.currentLoop() === null) return { paused: false } satisfies CommandMap['pause']['body'];
    t.controller.requestStop({ reason: 'pause' });
    return { paused: true } satisfies CommandMap['pause']['body'];
  },
  resume(t) {
    t.controller.resume();
    return {};
  },
  step(t) {
    requireStopped(t, 'step');
    t.controller.step();
    return {};
  },
  stepTask(t, args) {
    const id = intArg(args, 'taskId', 'stepTask');
    requireStopped(t, 'stepTask');
    notFrozen(t, liveTask(t, id, 'stepTask'), 'stepTask');
    t.controller.stepTask(id);
    return {};
  },
  stepOut(t, args) {
    const id = intArg(args, 'taskId', 'stepOut');
    requireStopped(t, 'stepOut');
    notFrozen(t, liveTask(t, id, 'stepOut'), 'stepOut');
    t.controller.stepOut(id);
    return {};
  },
  setBreakpoints(t, args) {
    const list = args.breakpoints;
    if (!Array.isArray(list)) bad('setBreakpoints: "breakpoints" must be an array');
    optString(args, 'file', 'setBreakpoints');
    list.forEach((bp, i) => {
      if (!isObject(bp)) bad(`setBreakpoints: breakpoints[${i}] must be an object`);
      if (!Number.isInteger(bp.id)) bad(`setBreakpoints: breakpoints[${i}].id must be an integer`);
      optString(bp, 'taskName', `setBreakpoints: breakpoints[${i}]`);
    });
    const result = t.controller.breakpoints.setSource(list as SourceBreakpoint[], args.file as string | undefined);
    t.controller.breakpointsChanged();
    return { breakpoints: result } satisfies CommandMap['setBreakpoints']['body'];
  },
  setLifecycleBreakpoints(t, args) {
    const list = args.breakpoints;
    if (!Array.isArray(list)) bad('setLifecycleBreakpoints: "breakpoints" must be an array');
    list.forEach((bp, i) => {
      if (!isObject(bp)) bad(`setLifecycleBreakpoints: breakpoints[${i}] must be an object`);
      if (!LIFECYCLE_KINDS.includes(bp.kind as LifecycleBreakpoint['kind'])) bad(`setLifecycleBreakpoints: breakpoints[${i}].kind must be one of ${LIFECYCLE_KINDS.join(', ')}, got ${quote(bp.kind)}`);
      optString(bp, 'taskName', `setLifecycleBreakpoints: breakpoints[${i}]`);
    });
    t.controller.breakpoints.setLifecycle(list as LifecycleBreakpoint[]);
    t.controller.breakpointsChanged();
    return {};
  },
  setTaskBreakpoints(t, args) {
    const list = args.breakpoints;
    if (!Array.isArray(list)) bad('setTaskBreakpoints: "breakpoints" must be an array');
    list.forEach((bp, i) => {
      if (!isObject(bp)) bad(`setTaskBreakpoints: breakpoints[${i}] must be an object`);
      if (!Number.isInteger(bp.id)) bad(`setTaskBreakpoints: breakpoints[${i}].id must be an integer`);
      if (bp.taskId !== undefined && !Number.isInteger(bp.taskId)) bad(`setTaskBreakpoints: breakpoints[${i}].taskId must be an integer`);
      optString(bp, 'taskName', `setTaskBreakpoints: breakpoints[${i}]`);
      if (bp.taskId === undefined && bp.taskName === undefined) bad(`setTaskBreakpoints: breakpoints[${i}] needs a taskId or a taskName`);
    });
    t.controller.breakpoints.taskBreakpoints = (list as TaskBreakpoint[]).map((bp) => ({ ...bp }));
    t.controller.breakpointsChanged();
    return {};
  },
  cancelTask(t, args) {
    const id = intArg(args, 'taskId', 'cancelTask');
    optString(args, 'message', 'cancelTask');
    const task = liveTask(t, id, 'cancelTask');
    const loop = task._loop;
    if (loop.isClosed()) throw new CommandError('not-ready', `cancelTask: the task's loop is closed`);
    return { cancelled: task.cancel(args.message as string | undefined) } satisfies CommandMap['cancelTask']['body'];
  },
  freezeTask(t, args) {
    const id = intArg(args, 'taskId', 'freezeTask');
    const task = liveTask(t, id, 'freezeTask');
    if (task._loop.isClosed()) throw new CommandError('not-ready', `freezeTask: the task's loop is closed`);
    return { frozen: t.controller.freeze(task) } satisfies CommandMap['freezeTask']['body'];
  },
  thawTask(t, args) {
    const id = intArg(args, 'taskId', 'thawTask');
    return { thawed: t.controller.thaw(liveTask(t, id, 'thawTask')) } satisfies CommandMap['thawTask']['body'];
  },
  taskDetails(t, args) {
    const id = intArg(args, 'taskId', 'taskDetails');
    return taskDetails(t.recorder, knownTask(t, id, 'taskDetails'));
  },
  readyQueue(t) {
    const loop = t.currentLoop();
    const taskIds: number[] = [];
    let callbacks = 0;
    if (loop !== null)
      for (const r of loop.readyQueue()) {
        // A frozen task's step is not next: it is held aside when the loop reaches it.
        if (r instanceof Task) {
          if (!t.controller.freezer.has(r)) taskIds.push(r.id);
        }
        else if (!r._dead) callbacks++;
      }
    return { taskIds, callbacks } satisfies CommandMap['readyQueue']['body'];
  },
  snapshot(t) {
    t.resendSnapshot();
    return {};
  },
  setOptions(t, args) {
    if (args.timeline !== undefined && typeof args.timeline !== 'boolean') bad('setOptions: "timeline" must be true or false');
    if (args.stacks !== undefined && args.stacks !== 'always' && args.stacks !== 'sampled' && args.stacks !== 'off') bad('setOptions: "stacks" must be "always", "sampled" or "off"');
    const fi = args.flushIntervalMs;
    if (fi !== undefined && (typeof fi !== 'number' || !Number.isFinite(fi) || fi < 1 || fi > 10_000)) bad('setOptions: "flushIntervalMs" must be a number of ms between 1 and 10000');
    const fr = args.freeze;
    if (fr !== undefined && (!Array.isArray(fr) || !fr.every((g) => typeof g === 'string'))) bad('setOptions: "freeze" must be an array of task-name globs (strings)');
    if (args.thawWhenIdle !== undefined && typeof args.thawWhenIdle !== 'boolean') bad('setOptions: "thawWhenIdle" must be true or false');
    const ss = args.slowStepMs;
    if (ss !== undefined && (typeof ss !== 'number' || !Number.isFinite(ss) || ss < 0)) bad('setOptions: "slowStepMs" must be a number of ms, 0 or more (0: no slow-step reports)');
    return t.setOptions(args as AgentOptions);
  },
};

/** Runs one command; throws CommandError for anything the debugger got wrong. */
export function runCommand(t: CommandTarget, command: unknown, args: unknown): unknown {
  if (typeof command !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, command)) {
    throw new CommandError('unknown-command', `unknown command ${quote(command)}; known: ${Object.keys(handlers).join(', ')}`);
  }
  if (args !== undefined && !isObject(args)) bad(`${command}: "args" must be an object, got ${quote(args)}`);
  // The program may have run since resources were last read.
  t.recorder.lines.clear();
  return handlers[command as CommandName](t, (args ?? {}) as Record<string, unknown>);
}
