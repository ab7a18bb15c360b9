// Builders of wire records for the pure modules' tests: a task or resource with only what a test cares about.
import type { Await, ResourceRecord, TaskRecord, TaskState } from '../../runtime/src/protocol/wire';

export function task(id: number, name: string, state: TaskState = 'suspended', more: Partial<TaskRecord> = {}): TaskRecord {
  return { id, name, state, parentId: 0, since: 0, steps: 1, cancelling: 0, ...more };
}

/** A suspended task awaiting `awaiting`. */
export function waiting(id: number, name: string, awaiting: Await, more: Partial<TaskRecord> = {}): TaskRecord {
  return task(id, name, 'suspended', { awaiting, ...more });
}

export function lock(id: number, name: string, holderId?: number, waiterIds: number[] = []): ResourceRecord {
  return { id, kind: 'lock', name, holderId, waiterIds };
}

export function resource(id: number, kind: ResourceRecord['kind'], name: string, more: Partial<ResourceRecord> = {}): ResourceRecord {
  return { id, kind, name, waiterIds: [], ...more };
}
