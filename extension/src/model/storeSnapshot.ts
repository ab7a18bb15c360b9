/**
 * The store's current state as a snapshot message, for a view that joins late (the Task Inspector
 * when it opens or is shown again). It includes the finished tasks the store still keeps.
 */
import type { SnapshotMessage } from '../../../runtime/src/protocol/wire';
import type { TaskStore } from './taskStore';

export function snapshotOf(store: TaskStore): SnapshotMessage {
  return {
    type: 'snapshot',
    seq: store.seq,
    time: store.time,
    loop: store.loop ? { ...store.loop, paused: store.paused } : null,
    tasks: [...store.tasks.values()],
    resources: [...store.resources.values()],
  };
}
