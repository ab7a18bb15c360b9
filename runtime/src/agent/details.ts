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

function frames(c: CapturedStack | null): Frame[] {
  if (c === null) return [];
  return userFrames(c).map((f) => ({ file: f.file, line: f.line, column: f.column, function: f.function }));
}

export function taskDetails(rec: Recorder, task: Task<unknown>): TaskDetails {
  const record = rec.record(task);
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
  let cur: Task<unknown> | undefined = awaitedTasks(task)[0];
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
    cur = awaitedTasks(cur)[0];
  }
  let records: TaskRecord[] | null = null;
  const resources = new Map<number, ResourceRecord>();
  if (cycle === undefined) {
    // The first-edge walk can miss a cycle through another branch (a gather's second child): ask the graph.
    records = live.map((t) => (t === task ? record : rec.record(t)));
    for (const t of live) {
      const r = resourceOf(t._futWaiter);
      if (r !== null && !resources.has(r.resourceId)) resources.set(r.resourceId, resourceRecord(r));
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
    if (awaitedTasks(t).includes(task)) awaitedBy.push(t.id);
    if (t.parentId === task.id) children.push(t.id);
  }

  const involved: ResourceRecord[] = [];
  const r = resourceOf(task._futWaiter);
  if (r !== null) involved.push(resources.get(r.resourceId) ?? resourceRecord(r));

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
