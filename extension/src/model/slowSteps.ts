/**
 * A session's slow task steps (the adapter's 'loopscope/slowStep'): per task its longest slow step
 * (its row says "slow step 150 ms"), per source line the longest one that resumed there and how many
 * did (the editor's warning). Bounded: a program with a slow step at every switch stays readable.
 */
import type { SlowStepMessage } from '../../../runtime/src/protocol/wire';
import { slowStepLine } from '../../../runtime/src/protocol/slowStepText';

/** Tasks and lines kept at most. */
const MAX_KEPT = 10_000;

export interface LineSlowSteps {
  /** The longest slow step that began at this line. */
  longest: SlowStepMessage;
  count: number;
}

export class SlowStepIndex {
  private readonly byTask = new Map<number, SlowStepMessage>();
  private readonly byLine = new Map<string, LineSlowSteps>();

  /** Notes a slow step; returns whether the task's longest changed (its row must be redrawn). */
  add(m: SlowStepMessage): boolean {
    const at = slowStepLine(m);
    if (at) {
      const key = `${at.file}:${at.line}`;
      const line = this.byLine.get(key);
      if (line) {
        line.count++;
        if (m.durationMs > line.longest.durationMs) line.longest = m;
      } else if (this.byLine.size < MAX_KEPT) this.byLine.set(key, { longest: m, count: 1 });
    }
    const before = this.byTask.get(m.taskId);
    if (before && before.durationMs >= m.durationMs) return false;
    if (!before && this.byTask.size >= MAX_KEPT) return false;
    this.byTask.set(m.taskId, m);
    return true;
  }

  /** The task's longest slow step, if it had one. */
  ofTask(taskId: number): SlowStepMessage | undefined {
    return this.byTask.get(taskId);
  }

  lines(): IterableIterator<LineSlowSteps> {
    return this.byLine.values();
  }

  get size(): number {
    return this.byTask.size;
  }
}
