/**
 * The debugger's copy of the runtime's task state, fed by `loopscope/snapshot` and `loopscope/delta`
 * events. It keeps the records, the creator hierarchy (who created whom) and the resources, and
 * says after each message exactly which tasks were added, changed, moved or removed, so the views
 * can update only what changed. No `vscode` import: it runs under plain vitest.
 *
 * Finished tasks: the runtime sends a finished task once and then forgets it (`removed`). The store
 * keeps the most recent `keepFinished` of them so users can still see how they ended; older ones are
 * evicted, but never while they still have children here (that would tear the hierarchy apart).
 */
import type { DeltaMessage, LoopInfo, ResourceRecord, SnapshotMessage, TaskRecord } from '../../../runtime/src/protocol/wire';

/** The container id of top-level tasks (tasks whose creator is unknown here). */
export const ROOT = 0;

export interface StoreChange {
  /** The whole state was replaced (a snapshot): every view rebuilds. */
  reset: boolean;
  /** Tasks that are new (value undefined) or whose record changed (value: the record before). */
  changed: Map<number, TaskRecord | undefined>;
  /** Tasks evicted from the store, with their last record and the container they were in. */
  removed: Map<number, { record: TaskRecord; container: number }>;
  /** Tasks whose container changed (their creator arrived after them), with the old container. */
  moved: Map<number, number>;
  resourcesChanged: boolean;
}

export function emptyChange(reset = false): StoreChange {
  return { reset, changed: new Map(), removed: new Map(), moved: new Map(), resourcesChanged: false };
}

export class TaskStore {
  readonly tasks = new Map<number, TaskRecord>();
  readonly resources = new Map<number, ResourceRecord>();
  /** Container (creator id, or ROOT) → its children's ids, in arrival order. */
  private readonly kids = new Map<number, Set<number>>();
  private readonly containerOfTask = new Map<number, number>();
  /** A creator not (yet) in the store → its children placed at the root meanwhile. */
  private readonly orphans = new Map<number, Set<number>>();
  /** Ids the runtime forgot (finished), oldest first: candidates for eviction. */
  private readonly forgotten = new Set<number>();

  seq = -1;
  /** Loop time (ms) of the last message, and the wall-clock time it arrived. */
  time = 0;
  receivedAt = 0;
  loop: LoopInfo | null = null;
  paused = false;

  constructor(public keepFinished = 1000) {}

  /** Replaces everything with a snapshot. */
  applySnapshot(s: SnapshotMessage, wallNow = Date.now()): StoreChange {
    this.tasks.clear();
    this.resources.clear();
    this.kids.clear();
    this.containerOfTask.clear();
    this.orphans.clear();
    this.forgotten.clear();
    this.seq = s.seq;
    this.time = s.time;
    this.receivedAt = wallNow;
    this.loop = s.loop;
    this.paused = s.loop?.paused ?? false;
    // All records first, then the hierarchy: a snapshot may list a child before its creator.
    for (const t of s.tasks) this.tasks.set(t.id, t);
    for (const t of s.tasks) this.place(t);
    for (const r of s.resources) this.resources.set(r.id, r);
    const change = emptyChange(true);
    change.resourcesChanged = true;
    return change;
  }

  /** Applies a delta; a delta older than the current state (seq not after it) is ignored. */
  applyDelta(d: DeltaMessage, wallNow = Date.now()): StoreChange {
    const change = emptyChange();
    if (d.seq <= this.seq) return change;
    this.seq = d.seq;
    this.time = d.time;
    this.receivedAt = wallNow;
    for (const t of d.tasks) {
      const prev = this.tasks.get(t.id);
      this.tasks.set(t.id, t);
      if (!change.changed.has(t.id)) change.changed.set(t.id, prev);
      if (!prev) {
        this.place(t);
        this.adoptOrphans(t.id, change);
      }
    }
    for (const r of d.resources ?? []) {
      this.resources.set(r.id, r);
      change.resourcesChanged = true;
    }
    for (const id of d.removed ?? []) {
      if (this.tasks.has(id)) this.forgotten.add(id);
    }
    this.evict(change);
    return change;
  }

  /** The container a task is listed under: its creator's id, or ROOT. */
  containerOf(id: number): number {
    return this.containerOfTask.get(id) ?? ROOT;
  }

  /** Children of a container, in arrival order (empty when none). */
  childrenOf(container: number): ReadonlySet<number> {
    return this.kids.get(container) ?? EMPTY;
  }

  /** Ancestors of a task in the store, nearest first. */
  ancestors(id: number): number[] {
    const out: number[] = [];
    for (let c = this.containerOf(id); c !== ROOT && out.length < this.tasks.size; c = this.containerOf(c)) out.push(c);
    return out;
  }

  /** Estimated loop time now: it advances with the wall clock only while a real-clock loop runs. */
  loopNow(wallNow = Date.now()): number {
    if (this.paused || this.loop?.clock !== 'real') return this.time;
    return this.time + Math.max(0, wallNow - this.receivedAt);
  }

  private place(t: TaskRecord): void {
    const known = t.parentId !== ROOT && t.parentId !== t.id && this.tasks.has(t.parentId);
    const container = known ? t.parentId : ROOT;
    if (!known && t.parentId !== ROOT) setOf(this.orphans, t.parentId).add(t.id);
    this.containerOfTask.set(t.id, container);
    setOf(this.kids, container).add(t.id);
  }

  /** A creator arrived after its children: move them under it. */
  private adoptOrphans(parentId: number, change: StoreChange): void {
    const waiting = this.orphans.get(parentId);
    if (!waiting) return;
    this.orphans.delete(parentId);
    for (const id of waiting) {
      if (!this.tasks.has(id)) continue;
      this.kids.get(ROOT)?.delete(id);
      setOf(this.kids, parentId).add(id);
      this.containerOfTask.set(id, parentId);
      change.moved.set(id, ROOT);
    }
  }

  private evict(change: StoreChange): void {
    if (this.forgotten.size <= this.keepFinished) return;
    // Oldest first; a task with children stays until they are gone (checked again on later deltas).
    for (const id of this.forgotten) {
      if (this.forgotten.size <= this.keepFinished) break;
      if (this.kids.get(id)?.size) continue;
      this.remove(id, change);
    }
  }

  private remove(id: number, change: StoreChange): void {
    const record = this.tasks.get(id)!;
    const container = this.containerOf(id);
    this.tasks.delete(id);
    this.forgotten.delete(id);
    this.kids.delete(id);
    this.kids.get(container)?.delete(id);
    this.containerOfTask.delete(id);
    if (container === ROOT && record.parentId !== ROOT) this.orphans.get(record.parentId)?.delete(id);
    change.changed.delete(id);
    change.removed.set(id, { record, container });
  }
}

const EMPTY: ReadonlySet<number> = new Set();

function setOf<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  return s;
}
