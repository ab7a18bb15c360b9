/**
 * The adapter's copy of the runtime's task state, kept from the snapshot and the deltas that follow it.
 * Threads, stacks and variables read from here; the extension keeps its own copy from the same events.
 */
import type { DeltaMessage, LoopInfo, ResourceRecord, SnapshotMessage, TaskRecord } from '../../runtime/src/protocol/wire';
import { describeContext, isFinishedState, type DescribeContext } from '../../runtime/src/protocol/describe';

/** Finished tasks the runtime told us to forget are still kept this long (by count), for names and stacks. */
const FORGOTTEN_KEPT = 256;

export class TaskStore {
  private readonly tasks = new Map<number, TaskRecord>();
  private readonly resources = new Map<number, ResourceRecord>();
  /** Records the runtime dropped (finished tasks), oldest first, so a name or a failed task's record is still at hand. */
  private readonly forgotten = new Map<number, TaskRecord>();
  private seq = -1;
  /** Loop time (ms) of the latest message. */
  time = 0;
  /** Date.now() when `time` was received: a real-clock loop's time goes on between messages. */
  private receivedAt = Date.now();
  /** Set while the loop is stopped (its clock stands still): the loop time it stopped at. */
  private frozenAt: number | null = null;
  loop: LoopInfo | null = null;
  /** True once a snapshot arrived. */
  hasSnapshot = false;

  applySnapshot(s: SnapshotMessage): void {
    this.tasks.clear();
    this.resources.clear();
    for (const t of s.tasks) this.tasks.set(t.id, t);
    for (const r of s.resources) this.resources.set(r.id, r);
    this.seq = s.seq;
    this.noteTime(s.time);
    this.loop = s.loop;
    this.hasSnapshot = true;
  }

  /**
   * Applies a delta; returns false when the snapshot already covered it. `seq` numbers changes, not
   * messages (one delta may carry many), so only going backwards means a delta is stale.
   */
  applyDelta(d: DeltaMessage): boolean {
    if (this.hasSnapshot && d.seq <= this.seq) return false;
    for (const t of d.tasks) this.tasks.set(t.id, t);
    for (const r of d.resources ?? []) this.resources.set(r.id, r);
    for (const id of d.removed ?? []) this.forget(id);
    this.seq = d.seq;
    this.noteTime(d.time);
    return true;
  }

  private noteTime(time: number): void {
    this.time = time;
    this.receivedAt = Date.now();
  }

  /**
   * The loop's time now, estimated: messages carry the loop time only when something changed, so a
   * real-clock loop's time is the last one heard plus the wall time since; a stopped loop's clock
   * stands still; a virtual clock moves only as reported.
   */
  now(): number {
    if (this.frozenAt !== null) return this.frozenAt;
    if (this.loop?.clock === 'virtual') return this.time;
    return this.time + (Date.now() - this.receivedAt);
  }

  /** The loop stopped (its clock stands still) or runs again. */
  setStopped(stopped: boolean): void {
    if (stopped) this.frozenAt = this.now();
    else {
      if (this.frozenAt !== null) this.noteTime(this.frozenAt);
      this.frozenAt = null;
    }
  }

  /** A fresher record of one task (from taskDetails). */
  upsert(record: TaskRecord): void {
    if (this.tasks.has(record.id) || !this.forgotten.has(record.id)) this.tasks.set(record.id, record);
    else this.forgotten.set(record.id, record);
  }

  upsertResources(records: readonly ResourceRecord[]): void {
    for (const r of records) this.resources.set(r.id, r);
  }

  private forget(id: number): void {
    const t = this.tasks.get(id);
    if (!t) return;
    this.tasks.delete(id);
    this.forgotten.set(id, t);
    if (this.forgotten.size > FORGOTTEN_KEPT) {
      const oldest = this.forgotten.keys().next().value as number;
      this.forgotten.delete(oldest);
    }
  }

  get(id: number): TaskRecord | undefined {
    return this.tasks.get(id) ?? this.forgotten.get(id);
  }

  resource(id: number): ResourceRecord | undefined {
    return this.resources.get(id);
  }

  /** Every task the runtime still reports (live and just-finished ones), by id. */
  all(): IterableIterator<TaskRecord> {
    return this.tasks.values();
  }

  allResources(): ResourceRecord[] {
    return [...this.resources.values()];
  }

  get size(): number {
    return this.tasks.size;
  }

  liveCount(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (!isFinishedState(t.state)) n++;
    return n;
  }

  /** Children of a task (created by it), as far as the store knows. */
  childrenOf(id: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const t of this.tasks.values()) if (t.parentId === id) out.push(t);
    return out;
  }

  /** Tasks whose await names this task (they wait for it to finish). */
  awaitersOf(id: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const t of this.tasks.values()) {
      const a = t.awaiting;
      if (!a || t.state !== 'suspended') continue;
      if ((a.kind === 'task' && a.taskId === id) || ('taskIds' in a && a.taskIds.includes(id))) out.push(t);
    }
    return out;
  }

  /** The look-ups runtime/src/protocol/describe.ts needs, at the store's current time. */
  describeContext(): DescribeContext {
    const ctx = describeContext(this.now(), this.tasks, this.resources);
    return { now: ctx.now, task: (id) => this.get(id), resource: ctx.resource };
  }
}
