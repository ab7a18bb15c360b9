/**
 * What the CLI knows of the program's tasks: the snapshot with every delta applied, the finished
 * tasks kept (bounded) after the runtime forgot them, and when any task last made progress.
 */
import type { DeltaMessage, LoopInfo, ResourceRecord, SnapshotMessage, TaskRecord } from '../protocol/wire';

/** Finished tasks kept after the runtime dropped them, at most (oldest successful ones go first). */
const MAX_FINISHED = 5000;

export class TaskModel {
  readonly tasks = new Map<number, TaskRecord>();
  readonly resources = new Map<number, ResourceRecord>();
  loop: LoopInfo | null = null;
  /** Loop time (ms) of the last message, and the wall time (Date.now()) it arrived. */
  time = 0;
  receivedAt = 0;
  /** Wall time of the last sign of progress (a step run, a state changed, a task created). */
  lastProgressAt = 0;
  /** Whether any snapshot arrived. */
  loaded = false;
  /** Timeline events the runtime dropped (it reports them in deltas). */
  dropped = 0;
  /** Tasks created and finished while we were behind, never sent (their records were dropped). */
  droppedTasks = 0;
  private finished: number[] = [];

  applySnapshot(m: SnapshotMessage, wallNow: number): void {
    this.tasks.clear();
    this.resources.clear();
    this.finished = [];
    for (const t of m.tasks) this.setTask(t);
    for (const r of m.resources) this.resources.set(r.id, r);
    this.loop = m.loop;
    this.time = m.time;
    this.receivedAt = wallNow;
    this.lastProgressAt = wallNow;
    this.loaded = true;
  }

  applyDelta(m: DeltaMessage, wallNow: number): void {
    let progressed = false;
    for (const t of m.tasks) {
      const before = this.tasks.get(t.id);
      if (!before || before.steps !== t.steps || before.state !== t.state) progressed = true;
      this.setTask(t);
    }
    for (const r of m.resources ?? []) this.resources.set(r.id, r);
    // `removed`: the runtime forgot these finished tasks. They stay here (a view shows failures
    // and the tree they belonged to) until MAX_FINISHED pushes the oldest out.
    this.dropped += m.dropped ?? 0;
    this.droppedTasks += m.droppedTasks ?? 0;
    this.time = m.time;
    this.receivedAt = wallNow;
    if (progressed) this.lastProgressAt = wallNow;
    this.trimFinished();
  }

  /** Loop time now: a real clock moved on since the last message; a virtual one did not. */
  now(wallNow: number): number {
    return this.loop?.clock === 'virtual' ? this.time : this.time + Math.max(0, wallNow - this.receivedAt);
  }

  private setTask(t: TaskRecord): void {
    const before = this.tasks.get(t.id);
    this.tasks.set(t.id, t);
    const isFinished = t.state === 'done' || t.state === 'failed' || t.state === 'cancelled';
    const wasFinished = before !== undefined && (before.state === 'done' || before.state === 'failed' || before.state === 'cancelled');
    if (isFinished && !wasFinished) this.finished.push(t.id);
  }

  private trimFinished(): void {
    if (this.finished.length <= MAX_FINISHED) return;
    const excess = this.finished.length - MAX_FINISHED;
    // Successful ones go first; failures are what a user looks for.
    const drop = new Set<number>();
    for (const id of this.finished) {
      if (drop.size >= excess) break;
      if (this.tasks.get(id)?.state === 'done') drop.add(id);
    }
    for (const id of this.finished) {
      if (drop.size >= excess) break;
      drop.add(id);
    }
    for (const id of drop) this.tasks.delete(id);
    this.finished = this.finished.filter((id) => !drop.has(id));
  }
}
