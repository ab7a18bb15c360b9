/**
 * The Variables view of a task: a Task scope (who it is, its state, its family, its timing) and an
 * Awaiting scope (the awaited object, its other waiters, the lock holder, the timer's deadline).
 * Values are words from runtime/src/protocol/describe.ts, so every Loopscope view says the same.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Await, ResourceRecord, TaskDetails, TaskRecord } from '../../runtime/src/protocol/wire';
import {
  describeAwait,
  describeError,
  describeState,
  describeTask,
  formatDuration,
  shortLocation,
  type DescribeContext,
} from '../../runtime/src/protocol/describe';
import { formatLongest, formatTaskTime, stepHistogramText, taskTimesNow } from '../../runtime/src/protocol/taskTimesText';

/** What a variablesReference expands to. */
export type VariableRef =
  | { kind: 'task'; taskId: number }
  | { kind: 'awaiting'; taskId: number }
  | { kind: 'tasks'; taskIds: number[] }
  | { kind: 'error'; taskId: number }
  | { kind: 'resource'; resourceId: number; exceptTaskId?: number };

export interface VariableEnv {
  ctx: DescribeContext;
  /** A variablesReference for something expandable. */
  ref(r: VariableRef): number;
  /** The full details of a task when already fetched for this stop (richer than its record). */
  details(taskId: number): TaskDetails | undefined;
  resource(id: number): ResourceRecord | undefined;
  /** Tasks suspended awaiting this task (as far as the adapter knows). */
  awaitersOf(taskId: number): number[];
}

const READ_ONLY: DebugProtocol.VariablePresentationHint = { attributes: ['readOnly'] };

function plain(name: string, value: string | number, type?: string): DebugProtocol.Variable {
  const v: DebugProtocol.Variable = { name, value: String(value), variablesReference: 0, presentationHint: READ_ONLY };
  if (type) v.type = type;
  return v;
}

function taskLink(env: VariableEnv, name: string, taskId: number): DebugProtocol.Variable {
  const t = env.ctx.task(taskId);
  const value = t ? describeTask(t, env.ctx) : `task #${taskId} (no longer known)`;
  return { name, value, variablesReference: t ? env.ref({ kind: 'task', taskId }) : 0, presentationHint: READ_ONLY, type: 'Task' };
}

function taskList(env: VariableEnv, name: string, taskIds: readonly number[], empty = 'none'): DebugProtocol.Variable {
  if (taskIds.length === 0) return plain(name, empty);
  const names = taskIds.slice(0, 3).map((id) => env.ctx.task(id)?.name ?? `#${id}`);
  const more = taskIds.length > 3 ? `, … ${taskIds.length - 3} more` : '';
  return {
    name,
    value: `${taskIds.length} task${taskIds.length === 1 ? '' : 's'}: ${names.join(', ')}${more}`,
    variablesReference: env.ref({ kind: 'tasks', taskIds: [...taskIds] }),
    indexedVariables: taskIds.length,
    presentationHint: READ_ONLY,
  };
}

function stateDurationName(t: TaskRecord): string {
  switch (t.state) {
    case 'suspended':
      return 'time suspended';
    case 'ready':
      return 'time ready';
    case 'running':
      return 'time running';
    default:
      return 'finished';
  }
}

/** The Task scope: name, id, state, awaiting, result or exception, cancelling, parent, children, created at, time suspended. */
export function taskVariables(taskId: number, env: VariableEnv): DebugProtocol.Variable[] {
  const details = env.details(taskId);
  const t = details?.task ?? env.ctx.task(taskId);
  if (!t) return [plain('task', `#${taskId} is no longer known to the runtime`)];
  const out: DebugProtocol.Variable[] = [plain('name', t.name, 'string'), plain('id', t.id, 'number'), plain('state', describeState(t, env.ctx), 'TaskState')];
  if (t.state === 'suspended' && t.awaiting) {
    out.push({ name: 'awaiting', value: describeAwait(t.awaiting, env.ctx), variablesReference: env.ref({ kind: 'awaiting', taskId }), presentationHint: READ_ONLY });
  }
  if (t.location) out.push(plain(t.state === 'suspended' ? 'suspended at' : 'last suspended at', `${shortLocation(t.location)}${t.locationStale ? ' (may be older: stacks are sampled)' : ''}`));
  if (t.state === 'done') out.push(plain('result', t.result ?? 'undefined'));
  if (t.state === 'failed' && t.error) {
    out.push({ name: 'exception', value: describeError(t.error), variablesReference: env.ref({ kind: 'error', taskId }), presentationHint: READ_ONLY, type: t.error.name });
  }
  if (t.state === 'cancelled') out.push(plain('cancel message', t.cancelMessage ?? '(none)'));
  out.push(plain('cancelling', t.cancelling, 'number'));
  out.push(t.parentId === 0 ? plain('parent', 'none (started by run())') : taskLink(env, 'parent', t.parentId));
  const children = details?.children ?? [];
  out.push(taskList(env, 'children', children));
  if (details && details.awaitedBy.length) out.push(taskList(env, 'awaited by', details.awaitedBy));
  const createdBy = details?.creationChain[0];
  const createdAt = shortLocation(t.createdAt) || (t.parentId === 0 ? 'run() (the main task)' : 'unknown');
  out.push(plain('created at', createdBy ? `${createdAt} by ${createdBy.name} #${createdBy.id}` : createdAt));
  out.push(plain(stateDurationName(t), formatDuration(Math.max(0, env.ctx.now - t.since))));
  out.push(plain('steps', t.steps, 'number'));
  out.push(...timeVariables(t, env.ctx.now));
  return out;
}

/** Time per task (busy, scheduled, idle, the longest step, the histogram), brought up to now. */
function timeVariables(t: TaskRecord, now: number): DebugProtocol.Variable[] {
  const times = taskTimesNow(t, now);
  if (times === null) return [];
  const out = [
    plain('busy', formatTaskTime(times.busyMs)),
    plain('scheduled', `${formatTaskTime(times.scheduledMs)} (ready, waiting for the loop)`),
    plain('idle', formatTaskTime(times.idleMs)),
    plain('longest step', formatLongest(times.longestStepMs)),
  ];
  if (t.timedSteps !== undefined) out.push(plain('steps timed', `${t.timedSteps} (the debugger came after the others)`, 'number'));
  const hist = stepHistogramText(t.stepHistogram, times.steps);
  if (hist) out.push(plain('step durations', hist));
  return out;
}

function resourceWaiters(env: VariableEnv, r: ResourceRecord | undefined, selfId: number): DebugProtocol.Variable {
  const others = (r?.waiterIds ?? []).filter((id) => id !== selfId);
  return taskList(env, 'other waiters', others);
}

function deadlineText(deadline: number, now: number): string {
  const left = deadline - now;
  return left > 0 ? `in ${formatDuration(left)} (loop time ${Math.round(deadline)} ms)` : `due now (loop time ${Math.round(deadline)} ms)`;
}

/** The Awaiting scope: what the task awaits and what that involves. */
export function awaitingVariables(taskId: number, env: VariableEnv): DebugProtocol.Variable[] {
  const details = env.details(taskId);
  const t = details?.task ?? env.ctx.task(taskId);
  if (!t || t.state !== 'suspended' || !t.awaiting) return [plain('awaiting', t ? `nothing (${describeState(t, env.ctx)})` : 'unknown task')];
  const a: Await = t.awaiting;
  const out: DebugProtocol.Variable[] = [plain('awaits', describeAwait(a, env.ctx)), plain('kind', a.kind)];
  switch (a.kind) {
    case 'sleep':
      if (a.delay !== undefined) out.push(plain('delay', formatDuration(a.delay)));
      out.push(plain('deadline', deadlineText(a.deadline, env.ctx.now)));
      break;
    case 'task':
      out.push(taskLink(env, 'task', a.taskId));
      out.push(taskList(env, 'other waiters', env.awaitersOf(a.taskId).filter((id) => id !== taskId)));
      break;
    case 'future':
      out.push(plain('future', a.label ? `${a.label} (#${a.futureId})` : `#${a.futureId}`));
      break;
    case 'promise':
      out.push(plain('promise', a.label || '(unlabelled)'));
      break;
    case 'gather':
    case 'wait':
    case 'taskGroup':
    case 'asCompleted':
    case 'shield':
      out.push(taskList(env, 'pending tasks', a.taskIds));
      if (a.futureIds?.length) out.push(plain('pending futures', a.futureIds.length, 'number'));
      if (a.deadline !== undefined) out.push(plain('timeout', deadlineText(a.deadline, env.ctx.now)));
      break;
    case 'lock': {
      const r = env.resource(a.resourceId);
      out.push(plain('lock', r?.name ?? `Lock#${a.resourceId}`));
      const holder = a.holderId ?? r?.holderId;
      out.push(holder === undefined ? plain('holder', 'none (free)') : taskLink(env, 'holder', holder));
      if (a.position !== undefined) out.push(plain('place in line', a.position + 1, 'number'));
      out.push(resourceWaiters(env, r, taskId));
      break;
    }
    case 'event':
    case 'condition':
    case 'semaphore': {
      const r = env.resource(a.resourceId);
      out.push(plain(a.kind, r?.name ?? `#${a.resourceId}`));
      if (r?.value !== undefined) out.push(plain(a.kind === 'event' ? 'set' : 'value', a.kind === 'event' ? String(r.value > 0) : r.value));
      if (r?.holderId !== undefined) out.push(taskLink(env, 'holder', r.holderId));
      if (a.position !== undefined) out.push(plain('place in line', a.position + 1, 'number'));
      out.push(resourceWaiters(env, r, taskId));
      break;
    }
    case 'queue.get':
    case 'queue.put':
    case 'queue.join': {
      const r = env.resource(a.resourceId);
      out.push(plain('queue', r?.name ?? `Queue#${a.resourceId}`));
      out.push(plain('size', a.maxsize > 0 ? `${a.size} of ${a.maxsize}` : `${a.size} (unbounded)`));
      const unfinished = a.kind === 'queue.join' ? (a.unfinished ?? r?.unfinished) : undefined;
      if (unfinished !== undefined) out.push(plain('unfinished', unfinished, 'number'));
      out.push(resourceWaiters(env, r, taskId));
      break;
    }
  }
  if (details) {
    const chain = details.awaitingChain.filter((id) => id !== taskId);
    if (chain.length) out.push(taskList(env, 'awaiting chain', chain));
    if (details.cycle?.length) {
      const names = details.cycle.map((id) => env.ctx.task(id)?.name ?? `#${id}`);
      out.push(plain('⚠ await cycle', `${names.join(' → ')} → ${names[0]} (these tasks wait for each other: a deadlock)`));
    }
  }
  return out;
}

/** A list of tasks, one variable each (expandable into its Task scope). */
export function taskListVariables(taskIds: readonly number[], env: VariableEnv, start = 0, count?: number): DebugProtocol.Variable[] {
  const slice = taskIds.slice(start, count === undefined ? undefined : start + count);
  return slice.map((id, i) => {
    const v = taskLink(env, `[${start + i}]`, id);
    const t = env.ctx.task(id);
    if (t) v.name = `${t.name} #${id}`;
    return v;
  });
}

export function errorVariables(taskId: number, env: VariableEnv): DebugProtocol.Variable[] {
  const t = env.details(taskId)?.task ?? env.ctx.task(taskId);
  if (!t?.error) return [];
  const out = [plain('name', t.error.name), plain('message', t.error.message)];
  if (t.error.stack) out.push(plain('stack', t.error.stack));
  return out;
}

export function resourceVariables(resourceId: number, env: VariableEnv, exceptTaskId?: number): DebugProtocol.Variable[] {
  const r = env.resource(resourceId);
  if (!r) return [plain('resource', `#${resourceId} is no longer known`)];
  const out = [plain('name', r.name), plain('kind', r.kind)];
  if (r.holderId !== undefined) out.push(taskLink(env, 'holder', r.holderId));
  if (r.value !== undefined) out.push(plain('value', r.value, 'number'));
  if (r.size !== undefined) out.push(plain('size', r.maxsize ? `${r.size} of ${r.maxsize}` : `${r.size}`));
  out.push(taskList(env, 'waiters', r.waiterIds.filter((id) => id !== exceptTaskId)));
  // The runtime lists the first 1000 waiters; the count says how many wait in all.
  if (r.waiterCount !== undefined) out.push(plain('waiting in all', r.waiterCount, 'number'));
  return out;
}
