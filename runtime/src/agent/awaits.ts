/**
 * What a suspended task awaits, read from the runtime's own tags (the waits.ts contract) and put in
 * the wire's words: an Await for the task, and a ResourceRecord for each Lock/Event/Condition/
 * Semaphore/Queue involved. Reads private state only; never changes it (no result() calls, which
 * would mark exceptions as retrieved).
 */
import { Future, PENDING } from '../future';
import { Task } from '../task';
import { isResource, type Resource, type SleepWait, type WaitGroup } from '../waits';
import type { Await, ResourceRecord } from '../protocol/wire';
import { nameText } from './values';
import { WaitLines } from './waitLines';

/**
 * Waiter ids a resource's record lists at most (in wake-up order; `waiterCount` says how many in all).
 * 100,000 tasks on one Event made a 600 KB record, rebuilt and compared at every batch.
 */
export const MAX_WAITER_IDS = 1000;

/** The task that awaits `fut` (a task registers itself among the future's callbacks), if any. */
export function waiterTask(fut: Future<unknown>): Task<unknown> | null {
  const cbs = fut._callbacks;
  if (cbs === null) return null;
  for (let i = 0; i < cbs.length; i++) {
    const cb = cbs[i];
    if (cb instanceof Task) return cb as Task<unknown>;
  }
  return null;
}

/** Kinds whose `_waitOn` is a WaitGroup (a wait on several futures at once). */
const GROUP_KINDS = new Set(['gather', 'wait', 'asCompleted', 'taskGroup', 'shield']);

/**
 * How many things a counting wait still waits for: the pending futures of a group wait, or a
 * Queue.join's unfinished items; -1 when `fut` is neither. The count changes without its waiter
 * taking a step (a child finishing, a taskDone()), so the recorder compares it at each batch as it
 * compares steps.
 */
export function groupPendingCount(fut: Future<unknown>, lines: WaitLines = new WaitLines()): number {
  if (fut instanceof Task) return -1;
  if (fut._waitKind === 'queue.join') return isResource(fut._waitOn) ? (lines.state(fut._waitOn).unfinished ?? -1) : -1;
  if (!GROUP_KINDS.has(fut._waitKind as string)) return -1;
  const g = fut._waitOn as WaitGroup | null;
  if (!g || g.futures == null) return -1;
  let n = 0;
  for (const f of g.futures) if (f._state === PENDING) n++;
  return n;
}

/** The pending tasks and futures of a group wait, and how many it awaits in all. */
function pendingOf(group: WaitGroup): { taskIds: number[]; futureIds: number[]; total: number } {
  const taskIds: number[] = [];
  const futureIds: number[] = [];
  let total = 0;
  for (const f of group.futures) {
    total++;
    if (f._state !== PENDING) continue;
    if (f instanceof Task) taskIds.push(f.id);
    else futureIds.push(f.futureId);
  }
  return { taskIds, futureIds, total };
}

/** The awaited future's place among a resource's waiters (0-based), or undefined when not queued there. */
function positionIn(resource: Resource, fut: Future<unknown>, lines: WaitLines): { position?: number; holderId?: number; size?: number; maxsize?: number; unfinished?: number } {
  const s = lines.state(resource);
  const i = lines.place(resource, fut);
  const out: { position?: number; holderId?: number; size?: number; maxsize?: number; unfinished?: number } = {};
  if (i >= 0) out.position = i;
  if (s.holder) out.holderId = s.holder.id;
  if (s.size !== undefined) out.size = s.size;
  if (s.maxsize !== undefined) out.maxsize = s.maxsize;
  if (s.unfinished !== undefined) out.unfinished = s.unfinished;
  return out;
}

/**
 * The wire form of what `fut` (a suspended task's waitingOn()) stands for. `lines`: resources'
 * states already read in this batch (a batch of records passes one, so that each waiter list is
 * read once, not once per waiter).
 */
export function awaitOf(fut: Future<unknown>, lines: WaitLines = new WaitLines()): Await {
  if (fut instanceof Task) return { kind: 'task', taskId: fut.id };
  const kind = fut._waitKind;
  const on = fut._waitOn;
  switch (kind) {
    case null:
    case 'future': {
      const a: Await = { kind: 'future', futureId: fut.futureId };
      if (typeof on === 'string') a.label = on;
      return a;
    }
    case 'sleep': {
      // A SleepWait (when and delay); a bare TimerHandle (when only) from an older tag also works.
      const h = on as Partial<SleepWait> | null;
      if (!h || typeof h.when !== 'number' || Number.isNaN(h.when)) return { kind: 'future', futureId: fut.futureId, label: 'sleep' };
      const a: Await = { kind: 'sleep', deadline: h.when };
      if (typeof h.delay === 'number') a.delay = h.delay;
      return a;
    }
    case 'promise':
      return { kind: 'promise', label: typeof on === 'string' ? on : 'Promise' };
    case 'gather':
    case 'wait':
    case 'asCompleted':
    case 'taskGroup':
    case 'shield': {
      const g = on as WaitGroup | null;
      if (!g || g.futures == null) return { kind, taskIds: [] };
      const { taskIds, futureIds, total } = pendingOf(g);
      const a: Await = { kind, taskIds, total };
      if (futureIds.length) a.futureIds = futureIds;
      if (typeof g.deadline === 'number') a.deadline = g.deadline;
      return a;
    }
    case 'lock':
    case 'event':
    case 'condition':
    case 'semaphore': {
      if (!isResource(on)) return { kind: 'future', futureId: fut.futureId, label: kind };
      const p = positionIn(on, fut, lines);
      if (kind === 'lock') {
        const a: Await = { kind, resourceId: on.resourceId };
        if (p.holderId !== undefined) a.holderId = p.holderId;
        if (p.position !== undefined) a.position = p.position;
        return a;
      }
      const a: Await = { kind, resourceId: on.resourceId };
      if (p.position !== undefined) a.position = p.position;
      return a;
    }
    case 'queue.get':
    case 'queue.put':
    case 'queue.join': {
      if (!isResource(on)) return { kind: 'future', futureId: fut.futureId, label: kind };
      const p = positionIn(on, fut, lines);
      const a: Await = { kind, resourceId: on.resourceId, size: p.size ?? 0, maxsize: p.maxsize ?? 0 };
      if (kind === 'queue.join' && p.unfinished !== undefined) a.unfinished = p.unfinished;
      return a;
    }
    default:
      return { kind: 'future', futureId: fut.futureId, label: String(kind) };
  }
}

/** The resource a wait is on (Lock, Queue...), if it is one. */
export function resourceOf(fut: Future<unknown> | null): Resource | null {
  if (fut === null || fut instanceof Task) return null;
  const on = fut._waitOn;
  return isResource(on) ? on : null;
}

/** A resource's wire record, now: its first MAX_WAITER_IDS waiters, and their count when there are more. */
export function resourceRecord(r: Resource, lines: WaitLines = new WaitLines()): ResourceRecord {
  const s = lines.state(r);
  const rec: ResourceRecord = { id: r.resourceId, kind: r.resourceKind, name: nameText(r.name), waiterIds: [] };
  if (s.holder) rec.holderId = s.holder.id;
  if (s.value !== undefined) rec.value = s.value;
  if (s.size !== undefined) rec.size = s.size;
  if (s.maxsize !== undefined) rec.maxsize = s.maxsize;
  if (s.unfinished !== undefined) rec.unfinished = s.unfinished;
  let count = 0;
  for (const w of s.waiters) {
    if (w._state !== PENDING) continue;
    const t = waiterTask(w);
    if (t === null) continue;
    if (++count <= MAX_WAITER_IDS) rec.waiterIds.push(t.id);
  }
  if (count > MAX_WAITER_IDS) rec.waiterCount = count;
  return rec;
}

/**
 * The tasks `task` cannot go on without, for the awaiting chain: the task it awaits, the holder of
 * the lock it wants, the pending tasks of a gather/taskGroup/shield/wait. (The cycle check uses
 * forest.ts's stricter rule on records.)
 */
export function awaitedTasks(task: Task<unknown>, lines: WaitLines = new WaitLines()): Task<unknown>[] {
  const fut = task._futWaiter;
  if (fut === null || task._state !== PENDING) return [];
  if (fut instanceof Task) return [fut as Task<unknown>];
  const on = fut._waitOn;
  switch (fut._waitKind) {
    case 'gather':
    case 'wait':
    case 'taskGroup':
    case 'shield':
    case 'asCompleted': {
      const out: Task<unknown>[] = [];
      const g = on as WaitGroup | null;
      if (g && g.futures != null) for (const f of g.futures) if (f instanceof Task && f._state === PENDING) out.push(f as Task<unknown>);
      return out;
    }
    case 'lock': {
      if (!isResource(on)) return [];
      const holder = lines.state(on).holder;
      return holder ? [holder] : [];
    }
    default:
      return [];
  }
}
