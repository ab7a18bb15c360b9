/** Builders for wire records and messages used by the extension's tests. */
import type { DeltaMessage, SnapshotMessage, TaskRecord, Frame } from '../../runtime/src/protocol/wire';

export function frame(file: string, line: number, fn = ''): Frame {
  return { file, line, column: 1, function: fn };
}

export function task(id: number, over: Partial<TaskRecord> = {}): TaskRecord {
  return { id, name: `Task-${id}`, state: 'ready', parentId: 0, since: 0, steps: 0, cancelling: 0, ...over };
}

/** A task suspended on a queue at `file:line`. */
export function waiting(id: number, parentId: number, name: string, file = '/w/app.ts', line = 10): TaskRecord {
  return task(id, {
    name,
    parentId,
    state: 'suspended',
    location: frame(file, line),
    awaiting: { kind: 'queue.get', resourceId: 1, size: 0, maxsize: 0 },
  });
}

export function snapshot(tasks: TaskRecord[], over: Partial<SnapshotMessage> = {}): SnapshotMessage {
  return { type: 'snapshot', seq: 0, time: 0, loop: { id: 1, clock: 'real', paused: false }, tasks, resources: [], ...over };
}

let seq = 1000;
export function delta(tasks: TaskRecord[], over: Partial<DeltaMessage> = {}): DeltaMessage {
  return { type: 'delta', seq: ++seq, time: 0, tasks, ...over };
}

/** main (1) with `n` workers (ids 2..n+1) all suspended at the same line. */
export function mainWithWorkers(n: number): TaskRecord[] {
  const out: TaskRecord[] = [task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'gather', taskIds: [] }, location: frame('/w/app.ts', 5) })];
  for (let i = 0; i < n; i++) out.push(waiting(i + 2, 1, `worker-${i + 1}`));
  return out;
}
