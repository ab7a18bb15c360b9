/**
 * How many tasks are in each state (the status bar's "▶ 1 ⏸ 498 ✓ 20"), kept incrementally.
 */
import type { TaskRecord, TaskState } from '../../../runtime/src/protocol/wire';
import { isFinishedState } from '../../../runtime/src/protocol/describe';
import type { StoreChange, TaskStore } from './taskStore';

export type StateCounts = Record<TaskState, number>;

export function zeroCounts(): StateCounts {
  return { running: 0, ready: 0, suspended: 0, done: 0, failed: 0, cancelled: 0 };
}

/** Frozen by the debugger and not finished (a finished task's last record may still say frozen). */
function frozenLive(t: TaskRecord | undefined): boolean {
  return t?.frozen === true && !isFinishedState(t.state);
}

export class StateCounter {
  counts: StateCounts = zeroCounts();
  /** Unfinished tasks the debugger froze (the status bar's "❄ 1"). */
  frozen = 0;

  rebuild(store: TaskStore): void {
    this.counts = zeroCounts();
    this.frozen = 0;
    for (const t of store.tasks.values()) {
      this.counts[t.state]++;
      if (frozenLive(t)) this.frozen++;
    }
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
      if (frozenLive(record)) this.frozen--;
      moved = true;
    }
    for (const [id, prev] of change.changed) {
      const rec = store.tasks.get(id)!;
      const wasFrozen = frozenLive(prev);
      if (wasFrozen !== frozenLive(rec)) {
        this.frozen += wasFrozen ? -1 : 1;
        moved = true;
      }
      const now = rec.state;
      if (prev?.state === now) continue;
      if (prev) this.counts[prev.state]--;
      this.counts[now]++;
      moved = true;
    }
    return moved;
  }
}
