/**
 * How many tasks are in each state (the status bar's "▶ 1 ⏸ 498 ✓ 20"), kept incrementally.
 */
import type { TaskState } from '../../../runtime/src/protocol/wire';
import type { StoreChange, TaskStore } from './taskStore';

export type StateCounts = Record<TaskState, number>;

export function zeroCounts(): StateCounts {
  return { running: 0, ready: 0, suspended: 0, done: 0, failed: 0, cancelled: 0 };
}

export class StateCounter {
  counts: StateCounts = zeroCounts();

  rebuild(store: TaskStore): void {
    this.counts = zeroCounts();
    for (const t of store.tasks.values()) this.counts[t.state]++;
  }

  /** Applies a store change; true when any count moved. */
  apply(change: StoreChange, store: TaskStore): boolean {
    if (change.reset) {
      this.rebuild(store);
      return true;
    }
    let moved = false;
    for (const { record } of change.removed.values()) {
      this.counts[record.state]--;
      moved = true;
    }
    for (const [id, prev] of change.changed) {
      const now = store.tasks.get(id)!.state;
      if (prev?.state === now) continue;
      if (prev) this.counts[prev.state]--;
      this.counts[now]++;
      moved = true;
    }
    return moved;
  }
}
