/**
 * The agent's record of the program's tasks: an instrument that keeps a TaskMeta per task (in
 * task._meta), marks tasks that changed as dirty (once per batch, however often they change), and
 * turns the dirty set into the wire's deltas on demand. The hooks do the least possible (a state
 * timestamp and a dirty mark); records are built only when a batch is sent.
 *
 * Memory is bounded while the debugger is not reading: task changes coalesce per task, timeline
 * events go to a bounded buffer (overflow is counted in `dropped`), and tasks that were created and
 * finished without ever being sent are forgotten (counted in `droppedTasks`).
 */
import { PENDING, CANCELLED } from '../future';
import type { Task } from '../task';
import type { EventLoop } from '../loop';
import type { Instrument } from '../hooks';
import { captureStack, userFrames, type CapturedStack } from '../stacks';
import type { Resource } from '../waits';
import { EventKind, type DeltaMessage, type Frame, type ResourceRecord, type SnapshotMessage, type TaskRecord, type TaskState } from '../protocol/wire';
import { EventBuffer } from './timeline';
import { awaitOf, resourceOf, resourceRecord } from './awaits';
import { errorInfo, previewValue } from './values';

/** What the agent keeps per task (task._meta). */
export class TaskMeta {
  dirty = false;
  /** The debugger has received a record of this task. */
  sent = false;
  /** Loop time the task entered its current state. */
  since: number;
  /** Last known name (kept for the creation chains of children after the task is forgotten). */
  name = '';
  /** Innermost user frame of the creation stack; undefined: unknown, null: not worked out yet. */
  createdAt: Frame | undefined | null = null;
  /** Flush epoch of the last suspension stack taken (sampling takes at most one per task per batch). */
  capturedEpoch = -1;
  /** The last suspension's stack was skipped: `location` may be older than the task's position. */
  locationStale = false;
  /** Cancelled: the message, read when it finished (the CancelledError is consumed by whoever awaits the task). */
  cancelMessage: string | undefined = undefined;
  constructor(
    readonly id: number,
    since: number,
    /** The creator's meta (kept even after the creator is forgotten, for creation chains). */
    readonly parent: TaskMeta | null,
  ) {
    this.since = since;
  }
}

export type StacksOption = 'always' | 'sampled' | 'off';

/** A power of two: how many hooks share one clock reading at most. */
const CLOCK_EVERY = 64;

/** Share of each batch interval that 'sampled' stacks may spend capturing and formatting. */
const SAMPLE_SHARE = 0.05;

export function metaOf(task: Task<unknown>): TaskMeta | null {
  return task._meta as TaskMeta | null;
}

/** A task's state as the wire names it. */
export function stateOf(task: Task<unknown>): TaskState {
  const s = task._state;
  if (s === CANCELLED) return 'cancelled';
  if (s !== PENDING) return task._hasException ? 'failed' : 'done';
  if (task._loop._currentTask === task) return 'running';
  if (task._queued) return 'ready';
  return 'suspended';
}

/** Time spent formatting stacks (they format lazily, on first use), for the sampling budget. */
let formatMs = 0;
export function takeFormatTime(): number {
  const t = formatMs;
  formatMs = 0;
  return t;
}

export function firstFrame(captured: CapturedStack | null): Frame | undefined {
  if (captured === null) return undefined;
  if (captured.frames === undefined) {
    const t0 = performance.now();
    userFrames(captured);
    formatMs += performance.now() - t0;
  }
  return firstFrameOf(captured);
}

function firstFrameOf(captured: CapturedStack | null): Frame | undefined {
  if (captured === null) return undefined;
  const f = userFrames(captured)[0];
  return f ? { file: f.file, line: f.line, column: f.column, function: f.function } : undefined;
}

export class Recorder implements Instrument {
  /** Tasks the debugger knows or will be told of: unfinished ones, and finished ones not yet sent. */
  readonly tasks = new Map<number, Task<unknown>>();
  private dirty: Task<unknown>[] = [];
  private head = 0;
  /** Timeline events since the last batch (a bounded buffer). */
  private readonly events = new EventBuffer();
  private timelineOn = false;
  /** Loop time, read at most once per CLOCK_EVERY hooks (performance.now() costs more than a hook). */
  private clockLoop: EventLoop | null = null;
  private clockValue = 0;
  private clockTicks = 0;
  /** Tasks created and finished since the last batch that were never sent (the debugger was behind). */
  droppedTasks = 0;
  /** The debugger is not keeping up: stop buffering timeline events, forget unsent finished tasks. */
  backedUp = false;
  stacks: StacksOption = 'sampled';
  /** Batches taken so far (the sampling epoch). */
  epoch = 0;
  private sampleBudgetMs = 2.5;
  private sampleSpentMs = 0;
  /** Resources with waiters, and the last record sent for each (to send only changes). */
  private readonly resources = new Map<number, { res: Resource; last: string }>();
  /** Every stack is taken, whatever the option: source breakpoints need them, and so does a debugger stepping (a stop must say where). */
  captureAll = false;
  /** Told of each task created outside any task (the first one of a loop is its main task). */
  onRootTask: ((task: Task<unknown>) => void) | null = null;

  get timeline(): boolean {
    return this.timelineOn;
  }

  set timeline(on: boolean) {
    this.timelineOn = on;
    this.events.enable(on);
  }

  /** Timeline events dropped since the last batch. */
  get dropped(): number {
    return this.events.dropped;
  }

  /**
   * Loop time for the hooks: exact at the first hook after an idle wait or a batch, and at every
   * CLOCK_EVERY-th hook; in between, a busy loop's steps share the last reading (they are
   * microseconds apart). A virtual clock is read every time (it is a field).
   */
  private now(loop: EventLoop): number {
    if (loop.virtualClock) return loop.time();
    if ((++this.clockTicks & (CLOCK_EVERY - 1)) === 0 || loop !== this.clockLoop) {
      this.clockLoop = loop;
      this.clockValue = loop.time();
    }
    return this.clockValue;
  }

  /** Re-reads the clock (the loop woke up from an idle wait, or a batch is being taken). */
  refreshClock(): void {
    const loop = this.clockLoop;
    if (loop !== null && !loop.isClosed()) this.clockValue = loop.time();
  }

  setFlushInterval(ms: number): void {
    this.sampleBudgetMs = Math.max(0.2, ms * SAMPLE_SHARE);
  }

  // ------------------------------------------------------------ hooks (hot)

  taskCreated(task: Task<unknown>, parent: Task<unknown> | null): void {
    const m = new TaskMeta(task.id, this.now(task._loop), parent !== null ? (parent._meta as TaskMeta | null) : null);
    task._meta = m;
    this.tasks.set(task.id, task);
    if (this.stacks !== 'off' && this.mayCapture()) {
      const t0 = performance.now();
      task._creationStack = captureStack();
      this.sampleSpentMs += performance.now() - t0;
    }
    m.dirty = true;
    this.dirty.push(task);
    if (this.timelineOn) this.event(EventKind.created, task.id, m.since);
    if (parent === null && this.onRootTask !== null) this.onRootTask(task);
  }

  taskScheduled(task: Task<unknown>): void {
    let m = task._meta as TaskMeta | null;
    if (m === null) m = this.adopt(task);
    const t = this.now(task._loop);
    m.since = t;
    if (!m.dirty) {
      m.dirty = true;
      this.dirty.push(task);
    }
    if (this.timelineOn) this.event(EventKind.scheduled, task.id, t);
  }

  afterTaskStep(task: Task<unknown>): void {
    let m = task._meta as TaskMeta | null;
    if (m === null) m = this.adopt(task);
    const t = this.now(task._loop);
    m.since = t;
    if (!m.dirty) {
      m.dirty = true;
      this.dirty.push(task);
    }
    if (task._state === CANCELLED) m.cancelMessage = task._cancelMessage ?? task._cancelledExc?.message;
    if (this.timelineOn) {
      const s = task._state;
      this.event(s === PENDING ? EventKind.suspended : s === CANCELLED ? EventKind.cancelled : task._hasException ? EventKind.failed : EventKind.done, task.id, t);
    }
  }

  /** Timeline: a step began (installed only while the timeline is on). */
  readonly timelineHooks: Instrument = {
    beforeTaskStep: (task: Task<unknown>) => {
      this.event(EventKind.resumed, task.id, this.now(task._loop));
    },
  };

  private event(kind: number, id: number, time: number): void {
    if (this.backedUp) this.events.dropped++;
    else this.events.push(kind, id, time);
  }

  /** Whether a sampled stack may be taken now (always true for 'always', or when breakpoints need it). */
  mayCapture(): boolean {
    return this.stacks === 'always' || this.captureAll || this.sampleSpentMs < this.sampleBudgetMs;
  }

  /** The suspension stack of `task`, taken at its `suspending` hook (see StackWatch). */
  captureSuspension(task: Task<unknown>, m: TaskMeta): void {
    if (this.stacks === 'always' || this.captureAll || (m.capturedEpoch !== this.epoch && this.sampleSpentMs < this.sampleBudgetMs)) {
      const t0 = performance.now();
      task._suspendStack = captureStack();
      this.sampleSpentMs += performance.now() - t0;
      m.capturedEpoch = this.epoch;
      m.locationStale = false;
    } else m.locationStale = true;
  }

  // ------------------------------------------------------------ tasks the hooks did not see

  /** A meta for a task that existed before the agent was watching (a debugger attached late). */
  adopt(task: Task<unknown>): TaskMeta {
    const parentTask = this.tasks.get(task.parentId);
    const m = new TaskMeta(task.id, task._loop.time(), parentTask ? (parentTask._meta as TaskMeta | null) : null);
    m.createdAt = task._creationStack ? null : undefined;
    task._meta = m;
    this.tasks.set(task.id, task);
    m.dirty = true;
    this.dirty.push(task);
    return m;
  }

  /** Starts watching a loop's existing tasks (parents first, so that creation chains link up). */
  adoptAll(loop: EventLoop): void {
    const existing = [...loop._tasks].sort((a, b) => a.id - b.id);
    for (const t of existing) if (t._meta === null) this.adopt(t);
  }

  /** Stops watching: every task forgets its meta. */
  clear(): void {
    for (const t of this.tasks.values()) {
      t._meta = null;
      t._suspendStack = null;
      t._creationStack = null;
    }
    this.tasks.clear();
    this.dirty = [];
    this.head = 0;
    this.events.clear();
    this.resources.clear();
  }

  // ------------------------------------------------------------ records and batches

  record(task: Task<unknown>): TaskRecord {
    const m = (task._meta as TaskMeta | null) ?? this.adopt(task);
    const state = stateOf(task);
    const name = task.getName();
    m.name = name;
    if (m.createdAt === null) m.createdAt = firstFrame(task._creationStack);
    const rec: TaskRecord = { id: task.id, name, state, parentId: task.parentId, since: Math.round(m.since * 1000) / 1000, steps: task._steps, cancelling: task._numCancelsRequested };
    if (m.createdAt) rec.createdAt = m.createdAt;
    if (state === 'done') rec.result = previewValue(task._result);
    else if (state === 'failed') rec.error = errorInfo(task._exception);
    else if (state === 'cancelled') {
      const msg = m.cancelMessage ?? task._cancelMessage ?? task._cancelledExc?.message;
      if (msg) rec.cancelMessage = msg;
    } else {
      const loc = firstFrame(task._suspendStack);
      if (loc) rec.location = loc;
      if (m.locationStale) rec.locationStale = true;
      const w = task._futWaiter;
      if (state === 'suspended' && w !== null) {
        rec.awaiting = awaitOf(w);
        const r = resourceOf(w);
        if (r !== null && !this.resources.has(r.resourceId)) this.resources.set(r.resourceId, { res: r, last: '' });
      }
    }
    return rec;
  }

  get hasDirty(): boolean {
    return this.head < this.dirty.length;
  }

  /**
   * While the debugger is behind: forget dirty finished tasks it never saw (their records would
   * only pile up), so that memory stays bounded by the program's own live tasks.
   */
  shed(): void {
    const kept: Task<unknown>[] = [];
    for (let i = this.head; i < this.dirty.length; i++) {
      const t = this.dirty[i];
      const m = t._meta as TaskMeta | null;
      if (m === null) continue;
      if (t._state !== PENDING && !m.sent) {
        m.dirty = false;
        this.tasks.delete(t.id);
        this.droppedTasks++;
        continue;
      }
      kept.push(t);
    }
    this.dirty = kept;
    this.head = 0;
  }

  /** The next batch of changes (at most `maxTasks` task records) as the JSON of a DeltaMessage, or null when there is nothing to say. */
  takeDelta(maxTasks: number, seq: number, time: number): string | null {
    const tasks: TaskRecord[] = [];
    const removed: number[] = [];
    const dirty = this.dirty;
    let i = this.head;
    for (; i < dirty.length && tasks.length < maxTasks; i++) {
      const t = dirty[i];
      const m = t._meta as TaskMeta | null;
      if (m === null || !m.dirty) continue;
      m.dirty = false;
      tasks.push(this.record(t));
      m.sent = true;
      if (t._state !== PENDING) {
        removed.push(t.id);
        this.tasks.delete(t.id);
      }
    }
    if (i >= dirty.length) {
      this.dirty = [];
      this.head = 0;
    } else this.head = i;
    const resources = this.changedResources();
    const events = this.events.takeJson();
    const dropped = this.events.dropped;
    if (tasks.length === 0 && resources.length === 0 && events === null && dropped === 0 && this.droppedTasks === 0) return null;
    const d: DeltaMessage = { type: 'delta', seq, time: Math.round(time * 1000) / 1000, tasks };
    if (resources.length) d.resources = resources;
    if (removed.length) d.removed = removed;
    if (dropped) d.dropped = dropped;
    if (this.droppedTasks) d.droppedTasks = this.droppedTasks;
    this.events.dropped = 0;
    this.droppedTasks = 0;
    // The events go in as JSON built straight from the buffer (no array per event).
    const text = JSON.stringify(d);
    return events === null ? text : text.slice(0, -1) + ',"events":' + events + '}';
  }

  /** Ends a batch period: a new sampling epoch and budget. */
  nextEpoch(): void {
    this.epoch++;
    this.refreshClock();
    // Formatting the stacks taken is part of their cost: what the last batch spent counts against the next.
    // (A debt of at most one budget is carried: a slow first use, such as parsing a source map, must
    // not starve the batches after it.)
    this.sampleSpentMs = Math.min(this.sampleBudgetMs, Math.max(0, this.sampleSpentMs + takeFormatTime() - this.sampleBudgetMs));
  }

  /** Records of the watched resources that changed since last sent; a resource nobody waits on any more is sent once more, then dropped. */
  private changedResources(): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const [id, entry] of this.resources) {
      const rec = resourceRecord(entry.res);
      const text = JSON.stringify(rec);
      if (text !== entry.last) {
        out.push(rec);
        entry.last = text;
      }
      if (rec.waiterIds.length === 0) this.resources.delete(id);
    }
    return out;
  }

  /**
   * The whole state: every known task (at most `maxTasks` in the message; the rest stay dirty and
   * follow in deltas) and the resources they wait on.
   */
  snapshot(seq: number, time: number, loop: EventLoop | null, maxTasks: number): SnapshotMessage {
    const all = [...this.tasks.values()].sort((a, b) => a.id - b.id);
    for (let i = this.head; i < this.dirty.length; i++) {
      const m = this.dirty[i]._meta as TaskMeta | null;
      if (m !== null) m.dirty = false;
    }
    this.dirty = [];
    this.head = 0;
    const tasks: TaskRecord[] = [];
    for (const t of all) {
      const m = (t._meta as TaskMeta | null) ?? this.adopt(t);
      if (tasks.length < maxTasks) {
        tasks.push(this.record(t));
        m.dirty = false;
        m.sent = true;
        if (t._state !== PENDING) this.tasks.delete(t.id);
      } else if (!m.dirty) {
        m.dirty = true;
        this.dirty.push(t);
      }
    }
    this.dirty = this.dirty.filter((t) => (t._meta as TaskMeta | null)?.dirty);
    const resources: ResourceRecord[] = [];
    for (const entry of this.resources.values()) {
      const rec = resourceRecord(entry.res);
      entry.last = JSON.stringify(rec);
      resources.push(rec);
    }
    this.events.clear();
    return {
      type: 'snapshot',
      seq,
      time: Math.round(time * 1000) / 1000,
      loop: loop === null ? null : { id: loop.id, clock: loop.virtualClock ? 'virtual' : 'real', paused: loop.isPaused() },
      tasks,
      resources,
    };
  }
}

