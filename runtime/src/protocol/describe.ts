/**
 * Words a person reads for the wire protocol's records: what a task awaits ("Lock db held by
 * worker-2 (2nd in line)"), its state, its one-line summary, an error, a duration.
 *
 * Shared by the terminal inspector (runtime/src/cli), the debug adapter and the VS Code extension,
 * so every view says the same thing the same way. Pure: it imports only the wire types (no Node,
 * no vscode), and reads everything else through a DescribeContext.
 */
import type { Await, ErrorInfo, Frame, ResourceRecord, TaskRecord, TaskState } from './wire';

/** What describing needs besides the record itself: the loop's time now and look-ups by id. */
export interface DescribeContext {
  /** Loop time (ms) now, on the same clock as TaskRecord.since and the awaits' deadlines. */
  now: number;
  task(id: number): TaskRecord | undefined;
  resource(id: number): ResourceRecord | undefined;
}

/** A DescribeContext over plain collections (a snapshot's arrays, or a model's maps). */
export function describeContext(
  now: number,
  tasks: Iterable<TaskRecord> | ReadonlyMap<number, TaskRecord>,
  resources: Iterable<ResourceRecord> | ReadonlyMap<number, ResourceRecord> = [],
): DescribeContext {
  const taskMap = tasks instanceof Map ? (tasks as ReadonlyMap<number, TaskRecord>) : new Map([...(tasks as Iterable<TaskRecord>)].map((t) => [t.id, t]));
  const resMap =
    resources instanceof Map ? (resources as ReadonlyMap<number, ResourceRecord>) : new Map([...(resources as Iterable<ResourceRecord>)].map((r) => [r.id, r]));
  return { now, task: (id) => taskMap.get(id), resource: (id) => resMap.get(id) };
}

// ---------------------------------------------------------------- small words

/** Milliseconds as a person reads them: `850 ms`, `1.2 s`, `42 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${(Math.floor(s * 10) / 10).toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

/** 1 → `1st`, 2 → `2nd`, 11 → `11th`, 23 → `23rd`. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** `/a/b/crawler.ts` → `crawler.ts`. Works for both separators. */
export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? file : file.slice(i + 1);
}

/** A short `file:line` for a frame-like location ('' when unknown). */
export function shortLocation(loc: Pick<Frame, 'file' | 'line'> | undefined): string {
  return loc ? `${baseName(loc.file)}:${loc.line}` : '';
}

export function isFinishedState(state: TaskState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

/** A task's name by id, or `task #7` when the debugger does not know it (e.g. already forgotten). */
export function taskName(id: number, ctx: Pick<DescribeContext, 'task'>): string {
  return ctx.task(id)?.name ?? `task #${id}`;
}

function resourceName(id: number, ctx: DescribeContext, kind: string): string {
  return ctx.resource(id)?.name ?? `${kind}#${id}`;
}

/** ` (2nd in line)` for a 0-based waiter position, '' when unknown. */
function inLine(position: number | undefined): string {
  return position === undefined ? '' : `${ordinal(position + 1)} in line`;
}

/** `a, b, c and 4 more` — names of at most `max` ids. */
function someNames(ids: readonly number[], ctx: DescribeContext, max = 3): string {
  const names = ids.slice(0, max).map((id) => taskName(id, ctx));
  if (ids.length > max) return `${names.join(', ')} and ${ids.length - max} more`;
  return names.join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function timeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  return left > 0 ? `${formatDuration(left)} left` : 'due now';
}

// ---------------------------------------------------------------- awaits

/** A group wait (gather, wait, taskGroup, asCompleted, shield); `total` gives "3 of 5 pending". */
type GroupAwait = Extract<Await, { taskIds: number[] }>;

function describeGroup(a: GroupAwait, ctx: DescribeContext): string {
  const futures = a.futureIds?.length ?? 0;
  const pending = a.taskIds.length + futures;
  const timeout = a.deadline === undefined ? '' : `, timeout ${a.deadline - ctx.now > 0 ? `in ${formatDuration(a.deadline - ctx.now)}` : 'due now'}`;
  if (a.kind === 'shield') {
    const inner = a.taskIds.length > 0 ? `task ${someNames(a.taskIds, ctx, 1)}` : futures > 0 ? 'a future' : 'nothing pending';
    return `shield around ${inner}${timeout}`;
  }
  // "3 of 5 pending" once some have finished; "5 pending" while none has.
  const count = a.total !== undefined && a.total > pending ? `${pending} of ${a.total} pending` : `${pending} pending`;
  const who: string[] = [];
  if (a.taskIds.length > 0) who.push(someNames(a.taskIds, ctx));
  if (futures > 0) who.push(plural(futures, 'future'));
  return `${a.kind}: ${count}${who.length ? ` (${who.join('; ')})` : ''}${timeout}`;
}

function describeLock(a: Extract<Await, { kind: 'lock' }>, ctx: DescribeContext): string {
  const name = resourceName(a.resourceId, ctx, 'Lock');
  const holderId = a.holderId ?? ctx.resource(a.resourceId)?.holderId;
  const line = inLine(a.position);
  if (holderId === undefined) return `Lock ${name} (free${line ? `, ${line}` : ''})`;
  const holder = ctx.task(holderId);
  const gone = holder && isFinishedState(holder.state) ? `, which has ${holder.state === 'done' ? 'finished' : holder.state}` : '';
  return `Lock ${name} held by ${taskName(holderId, ctx)}${gone}${line ? ` (${line})` : ''}`;
}

function describeQueue(a: Extract<Await, { size: number }>, ctx: DescribeContext): string {
  const name = resourceName(a.resourceId, ctx, 'Queue');
  const op = a.kind.slice('queue.'.length);
  if (a.kind === 'queue.join') {
    // join() waits for every item put to be marked done (asyncio's unfinished tasks), not for the
    // queue to empty: an empty queue with one item still being processed keeps it waiting.
    const unfinished = a.unfinished ?? ctx.resource(a.resourceId)?.unfinished;
    return unfinished === undefined ? `Queue.join on ${name}` : `Queue.join on ${name}: ${unfinished} unfinished`;
  }
  let state: string;
  if (a.size === 0) state = 'empty';
  else if (a.maxsize > 0 && a.size >= a.maxsize) state = `full, ${a.size}/${a.maxsize}`;
  else state = a.maxsize > 0 ? `${a.size}/${a.maxsize}` : plural(a.size, 'item');
  return `Queue.${op} on ${name} (${state})`;
}

/**
 * What a suspended task awaits, in words: `sleep 10 s, 7.2 s left`, `task worker-2`,
 * `gather: 3 of 5 pending (a, b, c)`, `Queue.get on jobs (empty)`, `Queue.put on results (full, 10/10)`,
 * `Lock db held by worker-2 (2nd in line)`, `Event ready (not set)`, `Semaphore pool (0 left)`, `Promise fetch`.
 */
export function describeAwait(a: Await, ctx: DescribeContext): string {
  switch (a.kind) {
    case 'sleep':
      return `sleep${a.delay !== undefined ? ` ${formatDuration(a.delay)}` : ''}, ${timeLeft(a.deadline, ctx.now)}`;
    case 'task':
      return `task ${taskName(a.taskId, ctx)}`;
    case 'future':
      return a.label ? `Future ${a.label}` : `Future #${a.futureId}`;
    case 'promise':
      return a.label ? `Promise ${a.label}` : 'Promise';
    case 'gather':
    case 'wait':
    case 'taskGroup':
    case 'asCompleted':
    case 'shield':
      return describeGroup(a, ctx);
    case 'lock':
      return describeLock(a, ctx);
    case 'event': {
      const r = ctx.resource(a.resourceId);
      const set = r?.value === undefined ? '' : r.value > 0 ? ' (set)' : ' (not set)';
      return `Event ${resourceName(a.resourceId, ctx, 'Event')}${set}`;
    }
    case 'condition': {
      const line = inLine(a.position);
      return `Condition ${resourceName(a.resourceId, ctx, 'Condition')} (waiting for notify${line ? `, ${line}` : ''})`;
    }
    case 'semaphore': {
      const r = ctx.resource(a.resourceId);
      const parts: string[] = [];
      if (r?.value !== undefined) parts.push(`${r.value} left`);
      const line = inLine(a.position);
      if (line) parts.push(line);
      return `Semaphore ${resourceName(a.resourceId, ctx, 'Semaphore')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
    }
    case 'queue.get':
    case 'queue.put':
    case 'queue.join':
      return describeQueue(a, ctx);
    default: {
      // A newer runtime may send a kind this build does not know: say what it is rather than fail.
      const unknown = a as { kind: string };
      return `${unknown.kind}`;
    }
  }
}

// ---------------------------------------------------------------- errors, states, tasks

/** `TypeError: boom` (just the name when the message is empty). */
export function describeError(e: ErrorInfo): string {
  const message = e.message.split('\n')[0];
  return message ? `${e.name || 'Error'}: ${message}` : e.name || 'Error';
}

/** ` by main` (who requested a task's cancellation), '' when unknown; names need `ctx`, else `task #3`. */
function cancelledBy(record: TaskRecord, ctx: Pick<DescribeContext, 'task'> | undefined): string {
  const by = record.cancelledBy;
  if (by === undefined || by === 0) return '';
  if (by === record.id) return ' by itself';
  return ` by ${ctx ? taskName(by, ctx) : `task #${by}`}`;
}

/** How a task frozen by the debugger is said (freezeTask). */
export const FROZEN = '\u2744 frozen';

/**
 * The state in words, with what qualifies it: `suspended`, `suspended, cancelling (by main)`,
 * `❄ frozen, ready`, `done → 42`, `failed: TypeError: boom`, `cancelled by main ("shutdown")`.
 * With `ctx`, tasks are named; without, numbered.
 */
export function describeState(record: TaskRecord, ctx?: Pick<DescribeContext, 'task'>): string {
  switch (record.state) {
    case 'done':
      return record.result !== undefined ? `done → ${record.result}` : 'done';
    case 'failed':
      return record.error ? `failed: ${describeError(record.error)}` : 'failed';
    case 'cancelled': {
      const by = cancelledBy(record, ctx);
      return record.cancelMessage ? `cancelled${by} (${JSON.stringify(record.cancelMessage)})` : `cancelled${by}`;
    }
    default: {
      // Frozen by the debugger: said first, in every view (thread names, the Call Stack, the tree).
      const state = record.frozen ? `${FROZEN}, ${record.state}` : record.state;
      if (record.cancelling === 0) return state;
      const by = cancelledBy(record, ctx);
      return `${state}, cancelling${by ? ` (${by.slice(1)})` : ''}`;
    }
  }
}

/**
 * One line about a task: `worker-2 #5 suspended 3.2 s at crawler.ts:41: Lock db held by worker-1 (1st in line)`,
 * `fetch #7 failed: TypeError: boom`.
 */
export function describeTask(record: TaskRecord, ctx: DescribeContext): string {
  let line = `${record.name} #${record.id} ${describeState(record, ctx)}`;
  if (record.state === 'suspended' || record.state === 'ready') {
    const held = ctx.now - record.since;
    if (held >= 1) line += ` ${formatDuration(held)}`;
  }
  const at = shortLocation(record.location);
  if (at && !isFinishedState(record.state)) line += ` at ${at}`;
  if (record.state === 'suspended' && record.awaiting) line += `: ${describeAwait(record.awaiting, ctx)}`;
  return line;
}
