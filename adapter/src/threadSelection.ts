/**
 * Which tasks become DAP threads. VS Code re-reads the whole thread list after every stop and cannot
 * show 100,000 of them, so the Call Stack lists the tasks that matter, best first, up to a limit; the
 * extension's Tasks view shows them all (from the custom snapshot/delta events).
 */
import type { TaskRecord } from '../../runtime/src/protocol/wire';
import { isFinishedState } from '../../runtime/src/protocol/describe';

export interface ThreadSelectionInput {
  tasks: Iterable<TaskRecord>;
  /** Most threads to list (at least 1). */
  maxThreads: number;
  /** The task the current stop is about: always listed first, even if finished. */
  stoppedTaskId?: number;
  /** Tasks a user asked to see (focusTask): listed next, even if finished. */
  pinned?: Iterable<number>;
  /** The runtime's ready queue, in scheduling order, when known. */
  readyOrder?: readonly number[];
  /** True for a source location carrying a breakpoint: tasks suspended there come before other suspended tasks. */
  atBreakpoint?: (task: TaskRecord) => boolean;
}

/** Why a task made the list, best first (lower is better). */
export const Tier = {
  Stopped: 0,
  Pinned: 1,
  Running: 2,
  Ready: 3,
  AtBreakpoint: 4,
  Suspended: 5,
} as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

export interface SelectedThread {
  task: TaskRecord;
  tier: Tier;
}

/**
 * The threads to list, best first: the stopped task, pinned tasks, the running task, ready tasks (in
 * scheduling order), tasks suspended at a breakpoint's line, then other suspended tasks (oldest first).
 * Finished tasks are left out unless stopped on or pinned. `total` counts the live tasks there were.
 */
export function selectThreads(input: ThreadSelectionInput): { threads: SelectedThread[]; total: number } {
  const max = Math.max(1, Math.floor(input.maxThreads));
  const byId = new Map<number, TaskRecord>();
  for (const t of input.tasks) byId.set(t.id, t);
  const pinned = new Set(input.pinned ?? []);
  const readyRank = new Map<number, number>();
  (input.readyOrder ?? []).forEach((id, i) => {
    if (!readyRank.has(id)) readyRank.set(id, i);
  });

  const chosen: SelectedThread[] = [];
  const taken = new Set<number>();
  const take = (task: TaskRecord | undefined, tier: Tier) => {
    if (!task || taken.has(task.id)) return;
    taken.add(task.id);
    chosen.push({ task, tier });
  };

  if (input.stoppedTaskId !== undefined) take(byId.get(input.stoppedTaskId), Tier.Stopped);
  for (const id of pinned) take(byId.get(id), Tier.Pinned);

  const running: TaskRecord[] = [];
  const ready: TaskRecord[] = [];
  const atBreakpoint: TaskRecord[] = [];
  const suspended: TaskRecord[] = [];
  let total = 0;
  for (const t of byId.values()) {
    if (isFinishedState(t.state)) continue;
    total++;
    if (taken.has(t.id)) continue;
    if (t.state === 'running') running.push(t);
    else if (t.state === 'ready') ready.push(t);
    else if (input.atBreakpoint?.(t)) atBreakpoint.push(t);
    else suspended.push(t);
  }
  const unknownRank = Number.MAX_SAFE_INTEGER;
  ready.sort((a, b) => (readyRank.get(a.id) ?? unknownRank) - (readyRank.get(b.id) ?? unknownRank) || a.id - b.id);
  atBreakpoint.sort((a, b) => a.id - b.id);
  // Suspended the longest first: those are the ones a person looks for when something hangs.
  suspended.sort((a, b) => a.since - b.since || a.id - b.id);

  for (const t of running) take(t, Tier.Running);
  for (const t of ready) take(t, Tier.Ready);
  for (const t of atBreakpoint) take(t, Tier.AtBreakpoint);
  for (const t of suspended) take(t, Tier.Suspended);

  return { threads: chosen.slice(0, max), total };
}
