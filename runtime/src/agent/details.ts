/**
 * Everything known about one task, for the debugger's call stack and variables views: its stacks,
 * who created it (and who created that), what it awaits (and what that awaits, with cycles found),
 * who awaits it, the resources involved, and its children.
 */
import type { Task } from '../task';
import { userFrames, type CapturedStack } from '../stacks';
import { findCycles } from '../protocol/forest';
import type { Frame, TaskDetails, TaskRecord, ResourceRecord } from '../protocol/wire';
import { awaitedTasks, resourceOf, resourceRecord } from './awaits';
import type { Recorder, TaskMeta } from './recorder';
import type { WaitLines } from './waitLines';

function frames(c: CapturedStack | null): Frame[] {
  if (c === null) return [];
  return userFrames(c).map((f) => ({ file: f.file, line: f.line, column: f.column, function: f.function }));
}

/** `task` and the live tasks it waits for, directly or not (awaitedTasks' edges). */
function reachableFrom(task: Task<unknown>, rec: Recorder, lines: WaitLines): Task<unknown>[] {
  const seen = new Set<Task<unknown>>([task]);
  const out: Task<unknown>[] = [task];
  for (let i = 0; i < out.length; i++) {
    for (const next of awaitedTasks(out[i], lines)) {
      if (seen.has(next) || rec.tasks.get(next.id) !== next) continue;
      seen.add(next);
      out.push(next);
    }
  }
  return out;
}

export function taskDetails(rec: Recorder, task: Task<unknown>): TaskDetails {
  // Peeked records: a question must not mark tasks as sent (the next batch would skip their changes),
  // and one reading of each resource serves every task (rec.lines: a record per waiter re-read the list).
  const lines = rec.lines;
  const record = rec.record(task, true);
  const live = [...rec.tasks.values()];

  const creationChain: TaskDetails['creationChain'] = [];
  const seen = new Set<number>([task.id]);
  for (let m = (task._meta as TaskMeta | null)?.parent ?? null; m !== null && !seen.has(m.id); m = m.parent) {
    seen.add(m.id);
    const t = rec.tasks.get(m.id);
    const entry: TaskDetails['creationChain'][number] = { id: m.id, name: t ? t.getName() : m.name || `Task-${m.id}` };
    if (m.createdAt) entry.createdAt = m.createdAt;
    creationChain.push(entry);
  }

  // Follow the first thing each task cannot go on without, until a non-task or a repeat.
  const awaitingChain: number[] = [];
  let cycle: number[] | undefined;
  const onChain = new Map<number, number>();
  let cur: Task<unknown> | undefined = awaitedTasks(task, lines)[0];
  onChain.set(task.id, -1);
  while (cur !== undefined) {
    if (onChain.has(cur.id)) {
      const from = onChain.get(cur.id)!;
      cycle = from < 0 ? [task.id, ...awaitingChain] : awaitingChain.slice(from);
      // The chain ends on the repeated task, so that it reads as the loop it is.
      awaitingChain.push(cur.id);
      break;
    }
    onChain.set(cur.id, awaitingChain.length);
    awaitingChain.push(cur.id);
    cur = awaitedTasks(cur, lines)[0];
  }
  let records: TaskRecord[] | null = null;
  const resources = new Map<number, ResourceRecord>();
  if (cycle === undefined) {
    // The first-edge walk can miss a cycle through another branch (a gather's second child): ask the
    // graph. A cycle through this task lies among the tasks it reaches (forest's edges are a subset
    // of awaitedTasks'), so only those get records: with 100,000 tasks this is a handful, not all.
    const reached = reachableFrom(task, rec, lines);
    records = reached.map((t) => (t === task ? record : rec.record(t, true)));
    for (const t of reached) {
      const r = resourceOf(t._futWaiter);
      if (r !== null && !resources.has(r.resourceId)) resources.set(r.resourceId, resourceRecord(r, lines));
    }
    const found = findCycles(records, resources.values()).find((c) => c.includes(task.id));
    if (found) {
      const i = found.indexOf(task.id);
      cycle = [...found.slice(i), ...found.slice(0, i)];
    }
  }

  const awaitedBy: number[] = [];
  const children: number[] = [];
  for (const t of live) {
    if (t === task) continue;
    if (awaitedTasks(t, lines).includes(task)) awaitedBy.push(t.id);
    if (t.parentId === task.id) children.push(t.id);
  }

  const involved: ResourceRecord[] = [];
  const r = resourceOf(task._futWaiter);
  if (r !== null) involved.push(resources.get(r.resourceId) ?? resourceRecord(r, lines));

  const details: TaskDetails = {
    task: record,
    suspendStack: frames(task._suspendStack),
    creationStack: frames(task._creationStack),
    creationChain,
    awaitingChain,
    awaitedBy: awaitedBy.sort((a, b) => a - b),
    resources: involved,
    children: children.sort((a, b) => a - b),
  };
  if (cycle) details.cycle = cycle;
  return details;
}
