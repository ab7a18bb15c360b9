/**
 * What the Task Inspector knows, fed by the host's messages: a snapshot resets it, deltas apply in
 * order, stops and continues set whether the panel is live or frozen, `ended` marks the session
 * over (the last state stays on screen).
 *
 * The runtime forgets finished tasks (`removed`); the panel keeps some history of its own, bounded:
 * the last MAX_FINISHED finished records (names and outcomes for the timeline and the graph), and
 * every failed task for the exceptions list up to MAX_EXCEPTIONS (older ones are counted, not kept).
 */
import type { DescribeContext } from '../../../runtime/src/protocol/describe';
import type { ResourceRecord, SnapshotMessage, DeltaMessage, StopReason, TaskRecord } from '../../../runtime/src/protocol/wire';
import type { HostToWebview } from '../messages';
import { EventStore, DEFAULT_CAPACITY } from './eventStore';
import { Lanes } from './lanes';

export const MAX_FINISHED = 20_000;
export const MAX_EXCEPTIONS = 1_000;

export type SessionStatus = 'waiting' | 'live' | 'paused' | 'ended';

export interface Change {
  /** Everything was replaced (a snapshot). */
  reset?: boolean;
  tasks?: boolean;
  events?: boolean;
  status?: boolean;
  selection?: boolean;
}

export class InspectorModel {
  /** Tasks the runtime still reports (live ones, and finished ones until `removed`). */
  readonly tasks = new Map<number, TaskRecord>();
  /** Finished tasks the runtime has forgotten, newest last, at most MAX_FINISHED. */
  readonly finished = new Map<number, TaskRecord>();
  readonly resources = new Map<number, ResourceRecord>();
  /** Failed tasks in the order they failed, at most MAX_EXCEPTIONS (the oldest are dropped first). */
  readonly exceptions: TaskRecord[] = [];
  exceptionsDropped = 0;
  /** Bumped whenever `exceptions` changes (views re-render only then). */
  exceptionsVersion = 0;
  private readonly exceptionIds = new Set<number>();

  readonly events: EventStore;
  readonly lanes = new Lanes();
  /** Timeline events the runtime dropped because the debugger was behind, and tasks it never sent. */
  lostEvents = 0;
  lostTasks = 0;

  /** Loop time (ms) of the latest message. */
  now = 0;
  /** Loop time the timeline starts from (the snapshot's time). */
  origin = 0;
  seq = -1;
  status: SessionStatus = 'waiting';
  pause: { reason: StopReason; taskId?: number; description: string } | null = null;
  selectedTaskId: number | null = null;

  private readonly listeners: ((c: Change) => void)[] = [];

  constructor(options: { eventCapacity?: number } = {}) {
    this.events = new EventStore(options.eventCapacity ?? DEFAULT_CAPACITY);
  }

  onChange(fn: (c: Change) => void): void {
    this.listeners.push(fn);
  }

  private emit(c: Change): void {
    for (const fn of this.listeners) fn(c);
  }

  /** A task by id, live or remembered. */
  task(id: number): TaskRecord | undefined {
    return this.tasks.get(id) ?? this.finished.get(id);
  }

  nameOf(id: number): string {
    return this.task(id)?.name ?? `task #${id}`;
  }

  /** For describe.ts. */
  describeContext(): DescribeContext {
    return { now: this.now, task: (id) => this.task(id), resource: (id) => this.resources.get(id) };
  }

  apply(m: HostToWebview): void {
    switch (m.type) {
      case 'snapshot':
        return this.applySnapshot(m.snapshot);
      case 'delta':
        return this.applyDelta(m.delta);
      case 'stopped':
        this.status = 'paused';
        this.pause = { reason: m.reason, taskId: m.taskId, description: m.description };
        return this.emit({ status: true });
      case 'continued':
        if (this.status !== 'ended') this.status = 'live';
        this.pause = null;
        return this.emit({ status: true });
      case 'ended':
        this.status = 'ended';
        this.pause = null;
        return this.emit({ status: true });
      case 'select':
        this.selectedTaskId = m.taskId;
        return this.emit({ selection: true });
      default: {
        const unknown = m as { type?: unknown };
        console.warn(`Task Inspector: ignoring a message of unknown type ${JSON.stringify(unknown.type)}`);
      }
    }
  }

  select(taskId: number | null): void {
    if (this.selectedTaskId === taskId) return;
    this.selectedTaskId = taskId;
    this.emit({ selection: true });
  }

  private applySnapshot(s: SnapshotMessage): void {
    this.tasks.clear();
    this.finished.clear();
    this.resources.clear();
    this.exceptions.length = 0;
    this.exceptionIds.clear();
    this.exceptionsDropped = 0;
    this.exceptionsVersion++;
    this.events.clear();
    this.lanes.clear();
    this.lostEvents = 0;
    this.lostTasks = 0;
    this.seq = s.seq;
    this.now = s.time;
    this.origin = s.time;
    this.status = s.loop?.paused ? 'paused' : 'live';
    if (!s.loop?.paused) this.pause = null;
    for (const t of s.tasks) this.putTask(t);
    for (const r of s.resources) this.resources.set(r.id, r);
    this.emit({ reset: true, tasks: true, events: true, status: true });
  }

  private applyDelta(d: DeltaMessage): void {
    this.seq = d.seq;
    if (d.time > this.now) this.now = d.time;
    for (const t of d.tasks) this.putTask(t);
    for (const r of d.resources ?? []) this.resources.set(r.id, r);
    for (const id of d.removed ?? []) this.forget(id);
    this.lostEvents += d.dropped ?? 0;
    this.lostTasks += d.droppedTasks ?? 0;
    const events = d.events;
    if (events && events.length > 0) {
      const store = this.events;
      const lanes = this.lanes;
      for (let i = 0; i < events.length; i++) {
        const e = events[i];
        store.append(e[0], e[1], e[2]);
        lanes.note(e[0], e[1], e[2]);
      }
      if (store.lastEventTime > this.now) this.now = store.lastEventTime;
    }
    // A resource nobody waits on and nobody holds is of no interest any more.
    for (const [id, r] of this.resources) if (r.waiterIds.length === 0 && r.holderId === undefined) this.resources.delete(id);
    this.emit({ tasks: d.tasks.length > 0 || (d.removed?.length ?? 0) > 0 || d.resources !== undefined, events: (events?.length ?? 0) > 0 || (d.dropped ?? 0) > 0 });
  }

  private putTask(t: TaskRecord): void {
    this.tasks.set(t.id, t);
    if (t.state === 'failed' && !this.exceptionIds.has(t.id)) {
      this.exceptionsVersion++;
      this.exceptionIds.add(t.id);
      this.exceptions.push(t);
      if (this.exceptions.length > MAX_EXCEPTIONS) {
        const old = this.exceptions.shift()!;
        this.exceptionIds.delete(old.id);
        this.exceptionsDropped++;
      }
    }
  }

  /** The runtime forgot a finished task: remember it here, within bounds. */
  private forget(id: number): void {
    const t = this.tasks.get(id);
    if (!t) return;
    this.tasks.delete(id);
    this.finished.set(id, t);
    if (this.finished.size > MAX_FINISHED) this.finished.delete(this.finished.keys().next().value as number);
  }
}
