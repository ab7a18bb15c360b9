/**
 * The agent's record of the program's tasks: a TaskMeta per task (in task._meta), the tasks that
 * changed since the last batch, and the wire's deltas built from them on demand.
 *
 * Watching costs per task, not per step: the hooks always installed are the per-task ones
 * (created, done). Which tasks stepped or changed state is found at each batch by comparing every
 * known task's step count and state with what was last sent (the runtime counts steps anyway),
 * so a task switch runs no agent code at all. Only the timeline, which records every step, installs
 * per-step hooks (and reads the clock at each step's start and end, so step lengths are exact).
 *
 * Memory is bounded while the debugger is not reading: task changes coalesce per task, timeline
 * events go to a bounded buffer (overflow is counted in `dropped`), and tasks that were created and
 * finished without ever being sent are forgotten (counted in `droppedTasks`).
 */
import { PENDING, CANCELLED } from '../future';
import type { Task } from '../task';
import type { EventLoop } from '../loop';
import type { Instrument } from '../hooks';
import type { Resource } from '../waits';
import { EventKind, type DeltaMessage, type Frame, type ResourceRecord, type SnapshotMessage, type TaskRecord, type TaskState } from '../protocol/wire';
import { EventBuffer } from './timeline';
import { CoarseClock } from './coarseClock';
import { awaitOf, groupPendingCount, resourceOf, resourceRecord } from './awaits';
import { WaitLines, type Glance } from './waitLines';
import { errorInfo, previewValue } from './values';
import { firstFrame, StackSampler, type SampledMeta } from './sampling';
import { timesInto, type TimeSlab } from './taskTimes';
import { innermostSite } from '../sites/registry';

export { firstFrame } from './sampling';
export type { StacksOption } from './sampling';

/** What the agent keeps per task (task._meta). */
export class TaskMeta implements SampledMeta {
  dirty = false;
  /** The debugger has received a record of this task. */
  sent = false;
  /** Loop time the task entered its current state (to the batch when found by comparison). */
  since: number;
  /** Last known name (kept for the creation chains of children after the task is forgotten). */
  name = '';
  /** Innermost user frame of the creation stack; undefined: unknown, null: not worked out yet. */
  createdAt: Frame | undefined | null = null;
  capturedEpoch = -1;
  capturedSteps = -1;
  /** Steps and state (stateCode) in the last record sent: a batch sends the tasks whose differ. */
  sentSteps = -1;
  sentState = -1;
  /** Cancellation requests in the last record sent: a cancel changes no step or state until the task runs. */
  sentCancelling = 0;
  /** Pending count of the group wait, or unfinished items of the Queue.join, in the last record sent (-1: neither). */
  sentPending = -1;
  /** Innermost await site and awaited future in the last record sent, and when it was sent (loop ms): see `onlyStepped`. */
  sentSite = -1;
  sentWaiter: unknown = null;
  sentAt = -Infinity;
  /** Cancelled: the message, read when it finished (the CancelledError is consumed by whoever awaits the task). */
  cancelMessage: string | undefined = undefined;
  /**
   * Time per task (taskTimes.ts): the task's slot in its TimeSlab while unfinished (-1: none yet),
   * its times once finished, and the histogram's counts of steps of 0.1 ms or longer (allocated at
   * the first such step).
   */
  tSlab: TimeSlab | null = null;
  tSlot = -1;
  tFinal: number[] | null = null;
  tHist: number[] | null = null;
  constructor(
    readonly id: number,
    since: number,
    /** The creator's meta (kept even after the creator is forgotten, for creation chains). */
    readonly parent: TaskMeta | null,
  ) {
    this.since = since;
  }
}

/** A step at least this long (ms, by the clock thread) has its end read from the real clock. */
const LONG_STEP_MS = 1;

/** How often a task that only took steps (back where it was) is sent again: its step count and `since`. */
const STEPS_REFRESH_MS = 1000;

/** A power of two: how many per-task hooks share one clock reading at most. */
const CLOCK_EVERY = 64;

/**
 * A batch looks for changed tasks by walking all of them; when that walk is long (many tasks) it is
 * done at most often enough to stay within this share of the time (a stop always does it).
 */
const SCAN_SHARE = 0.05;
/** A periodic walk for changes takes at most this long (ms) at once; the next batch goes on with it. */
const SCAN_SLICE_MS = 4;

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

/** stateOf as a small number, for comparing with what was sent. */
function stateCode(task: Task<unknown>): number {
  const s = task._state;
  if (s !== PENDING) return 3 + s;
  if (task._loop._currentTask === task) return 0;
  return task._queued ? 1 : 2;
}

export class Recorder {
  /** Tasks the debugger knows or will be told of: unfinished ones, and finished ones not yet sent. */
  readonly tasks = new Map<number, Task<unknown>>();
  private dirty: Task<unknown>[] = [];
  private head = 0;
  /** Timeline events since the last batch (a bounded buffer). */
  private readonly events = new EventBuffer();
  private timelineOn = false;
  /** Loop time for the per-task hooks, read at most once per CLOCK_EVERY of them (and at each batch, idle wake-up and step edge). */
  private clockLoop: EventLoop | null = null;
  private clockValue = 0;
  private clockTicks = 0;
  /** Where a periodic walk for changes stopped (null: the next starts from the first task). */
  private scanAt: Iterator<Task<unknown>> | null = null;
  /** When the last walk for changes ended, and what it cost (performance.now() ms). */
  private lastScanEnd = -Infinity;
  private lastScanCost = 0;
  /** Tasks created and finished since the last batch that were never sent (the debugger was behind). */
  droppedTasks = 0;
  /** The debugger is not keeping up: stop buffering timeline events, forget unsent finished tasks. */
  backedUp = false;
  readonly sampler = new StackSampler();
  /** Resources with waiters, and the last record sent for each (to send only changes). */
  private readonly resources = new Map<number, { res: Resource; last: string; glance: Glance | null }>();
  /** Resources' states read in this batch (each waiter list read once however many of its waiters have records); cleared whenever the program may have run. */
  readonly lines = new WaitLines();
  /** This batch has compared the watched resources with what was sent (see takeDelta). */
  private resourcesCompared = false;
  /** This batch is a stop's: resources are compared in full. */
  private exactEpoch = false;
  /** Tasks whose last record awaited a group or a Queue.join: findChanges compares their counts. */
  private readonly groupWaiters = new Set<Task<unknown>>();
  /** Told of each task created outside any task (the first one of a loop is its main task). */
  onRootTask: ((task: Task<unknown>) => void) | null = null;
  /** The debugger's frozen tasks (the controller's freezer): their records say `frozen`. */
  frozen: { has(task: Task<unknown>): boolean; readonly size: number } | null = null;

  get timeline(): boolean {
    return this.timelineOn;
  }

  set timeline(on: boolean) {
    this.timelineOn = on;
    this.events.enable(on);
    if (on) this.clock.start();
    else this.clock.stop();
  }

  /** The timeline's clock: read at every step while it records. */
  private readonly clock = new CoarseClock();
  /** When the step running now began (the timeline's clock). */
  private stepStartedAt = 0;

  /** Timeline events dropped since the last batch. */
  get dropped(): number {
    return this.events.dropped;
  }

  /**
   * Loop time for the per-task hooks: a busy loop's hooks share a reading for up to CLOCK_EVERY
   * hooks (they are microseconds apart; the reading is renewed at each batch and idle wake-up too).
   * A virtual clock is read every time (it is a field).
   */
  private now(loop: EventLoop): number {
    if (loop.virtualClock) return loop.time();
    if ((++this.clockTicks & (CLOCK_EVERY - 1)) === 0 || loop !== this.clockLoop) {
      this.clockLoop = loop;
      this.clockValue = loop.time();
    }
    return this.clockValue;
  }

  /**
   * Loop time read now, for a step's start or end on the timeline (the hooks after it share the
   * reading). While events are being dropped (the buffer is full until the next batch, or the
   * debugger is behind) the last reading does: nobody will see those times.
   */
  private stepTime(loop: EventLoop): number {
    if (loop.virtualClock) return loop.time();
    // A memory load, not a clock read (which costs more than the step it times): see coarseClock.ts.
    // Never earlier than the last time given (a long step's end was read from the real clock, which
    // the clock thread may not have caught up with): the timeline's times never run backwards.
    // Loop time stands still while the debugger holds the loop stopped: the clock thread's reading
    // less the time held, as loop.time() reads the real clock.
    const c = this.clock.now() - loop.pausedTotal;
    const t = c > this.clockValue || loop !== this.clockLoop ? c : this.clockValue;
    this.clockLoop = loop;
    this.clockValue = t;
    return t;
  }

  /** Re-reads the clock (the loop woke up from an idle wait, or a batch is being taken). */
  refreshClock(): void {
    const loop = this.clockLoop;
    if (loop !== null && !loop.isClosed()) this.clockValue = loop.time();
  }

  setFlushInterval(ms: number): void {
    this.sampler.setFlushInterval(ms);
  }

  // ------------------------------------------------------------ hooks

  /** Per-task hooks, installed while a debugger is connected. */
  readonly taskHooks: Instrument = {
    taskCreated: (task: Task<unknown>, parent: Task<unknown> | null) => {
      const m = new TaskMeta(task.id, this.now(task._loop), parent !== null ? (parent._meta as TaskMeta | null) : null);
      task._meta = m;
      this.tasks.set(task.id, task);
      this.sampler.takeCreation(task, parent);
      m.dirty = true;
      this.dirty.push(task);
      if (this.timelineOn) this.event(EventKind.created, task.id, m.since);
      if (parent === null && this.onRootTask !== null) this.onRootTask(task);
    },
    taskDone: (task: Task<unknown>) => {
      const m = (task._meta as TaskMeta | null) ?? this.adopt(task);
      m.since = this.now(task._loop);
      if (task._state === CANCELLED) m.cancelMessage = task._cancelMessage ?? task._cancelledExc?.message;
      this.markDirty(task, m);
    },
  };

  /** Per-step hooks for the timeline (installed only while it is on): every step's start and end, and wake-ups. */
  readonly timelineHooks: Instrument = {
    // They keep `since` exact and record the event; which records to send is found at each batch by
    // comparison (findChanges), as without the timeline: marking tasks here cost more than the events.
    taskScheduled: (task: Task<unknown>) => {
      const m = (task._meta as TaskMeta | null) ?? this.adopt(task);
      const t = this.stepTime(task._loop);
      m.since = t;
      this.event(EventKind.scheduled, task.id, t);
    },
    beforeTaskStep: (task: Task<unknown>) => {
      const t = this.stepTime(task._loop);
      this.stepStartedAt = t;
      this.event(EventKind.resumed, task.id, t);
    },
    afterTaskStep: (task: Task<unknown>) => {
      const m = (task._meta as TaskMeta | null) ?? this.adopt(task);
      let t = this.stepTime(task._loop);
      // A long step (the clock thread ticked during it) ends at the real clock: its length is then
      // never short of the truth, even when a loaded machine left the clock thread behind.
      if (t - this.stepStartedAt >= LONG_STEP_MS && !task._loop.virtualClock) t = this.clockValue = task._loop.time();
      m.since = t;
      const s = task._state;
      this.event(s === PENDING ? EventKind.suspended : s === CANCELLED ? EventKind.cancelled : task._hasException ? EventKind.failed : EventKind.done, task.id, t);
    },
  };

  /** Something a record shows changed without a step or state change (frozen, thawed): send it again. */
  touch(task: Task<unknown>): void {
    this.markDirty(task, (task._meta as TaskMeta | null) ?? this.adopt(task));
  }

  private markDirty(task: Task<unknown>, m: TaskMeta): void {
    if (!m.dirty) {
      m.dirty = true;
      this.dirty.push(task);
    }
  }

  private event(kind: number, id: number, time: number): void {
    if (this.backedUp) this.events.dropped++;
    else this.events.push(kind, id, time);
  }

  /** The suspension stack of `task`, taken in its `suspending` hook (while the sampler wants it). */
  captureSuspension(task: Task<unknown>, m: TaskMeta): void {
    this.sampler.takeSuspension(task, m);
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

  /**
   * A task's record, noted as the last one sent. `peek`: a record for a question (a task's details),
   * which leaves what was last sent as it was, so that the next batch still sends what changed.
   */
  record(task: Task<unknown>, peek = false): TaskRecord {
    const m = (task._meta as TaskMeta | null) ?? this.adopt(task);
    const state = stateOf(task);
    const name = task.getName();
    m.name = name;
    const w = task._futWaiter;
    if (!peek) {
      m.sentSteps = task._steps;
      m.sentState = stateCode(task);
      m.sentCancelling = task._numCancelsRequested;
      m.sentPending = state === 'suspended' && w !== null ? groupPendingCount(w, this.lines) : -1;
      if (m.sentPending >= 0) this.groupWaiters.add(task);
      else this.groupWaiters.delete(task);
      m.sentSite = innermostSite(task);
      m.sentWaiter = w;
    }
    if (m.createdAt === null) m.createdAt = firstFrame(task._creationStack);
    const rec: TaskRecord = { id: task.id, name, state, parentId: task.parentId, since: Math.round(m.since * 1000) / 1000, steps: task._steps, cancelling: task._numCancelsRequested };
    if (m.createdAt) rec.createdAt = m.createdAt;
    if (this.frozen !== null && this.frozen.size > 0 && this.frozen.has(task)) rec.frozen = true;
    timesInto(rec, m, task);
    if (task._cancelledBy !== 0 && (state === 'cancelled' || task._numCancelsRequested > 0)) rec.cancelledBy = task._cancelledBy;
    if (state === 'done') rec.result = previewValue(task._result);
    else if (state === 'failed') rec.error = errorInfo(task._exception);
    else if (state === 'cancelled') {
      const msg = m.cancelMessage ?? task._cancelMessage ?? task._cancelledExc?.message;
      // A JavaScript program may cancel with any value as the message: the wire carries text.
      if (msg) rec.cancelMessage = typeof msg === 'string' ? msg : previewValue(msg);
    } else {
      const loc = firstFrame(task._suspendStack);
      if (loc) rec.location = loc;
      if (this.sampler.isStale(task, m)) rec.locationStale = true;
      if (state === 'suspended' && w !== null) {
        rec.awaiting = awaitOf(w, this.lines);
        const r = resourceOf(w);
        if (r !== null && !this.resources.has(r.resourceId)) this.resources.set(r.resourceId, { res: r, last: '', glance: null });
      }
    }
    return rec;
  }

  get hasDirty(): boolean {
    return this.head < this.dirty.length;
  }

  /**
   * Marks the tasks that stepped or changed state since their last record (the per-step hooks are
   * not installed to say so). `since` of such a task is `time`: the change happened during the
   * batch interval. Unless `always`, a walk that costs much (many tasks) is skipped until enough
   * time passed to keep it within SCAN_SHARE of the program's time.
   */
  findChanges(time: number, always: boolean): void {
    const t0 = performance.now();
    if (!always && t0 - this.lastScanEnd < this.lastScanCost / SCAN_SHARE) return;
    // A periodic walk goes on from where the last one stopped, for SCAN_SLICE_MS at most: a walk of
    // 1,000,000 tasks in one go blocks the program. (The Map's iterator sees deletions and additions.)
    const it = always ? this.tasks.values() : (this.scanAt ?? this.tasks.values());
    const deadline = always ? Infinity : t0 + SCAN_SLICE_MS;
    this.scanAt = null;
    let n = 0;
    for (let r = it.next(); !r.done; r = it.next()) {
      const task = r.value;
      const m = task._meta as TaskMeta | null;
      if (m !== null && !m.dirty) {
        const moved = task._steps !== m.sentSteps || stateCode(task) !== m.sentState;
        if (moved || task._numCancelsRequested !== m.sentCancelling) {
          // (With the timeline on, the step hooks keep `since` to the step, not to this batch.)
          if (moved && !this.timelineOn) m.since = time;
          m.dirty = true;
          this.dirty.push(task);
        }
      }
      if ((++n & 1023) === 0 && performance.now() >= deadline) {
        this.scanAt = it;
        break;
      }
    }
    // A task awaiting a group (gather, wait, taskGroup...) takes no step when a child finishes, nor
    // one in Queue.join when an item is marked done, but what it awaits changed ("3 of 5 pending",
    // "1 unfinished"): its record is sent again, its `since` kept.
    for (const task of this.groupWaiters) {
      const m = task._meta as TaskMeta | null;
      if (m === null || m.dirty) continue;
      const w = task._futWaiter;
      if (w !== null && groupPendingCount(w, this.lines) !== m.sentPending) {
        m.dirty = true;
        this.dirty.push(task);
      }
    }
    this.lastScanEnd = performance.now();
    this.lastScanCost = this.lastScanEnd - t0;
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
      if (this.onlyStepped(t, m, time)) continue;
      tasks.push(this.record(t));
      m.sent = true;
      m.sentAt = time;
      if (t._state !== PENDING) {
        removed.push(t.id);
        this.tasks.delete(t.id);
      }
    }
    const exhausted = i >= dirty.length;
    if (exhausted) {
      this.dirty = [];
      this.head = 0;
    } else this.head = i;
    // Resources are compared in the first message of a batch (what changed since the last) and in its
    // last (those the batch's records began to watch), not in every message: each comparison reads
    // whole waiter lists, and a batch of 100,000 records is hundreds of messages.
    const resources = !this.resourcesCompared || exhausted ? this.changedResources() : [];
    this.resourcesCompared = true;
    const steps = this.events.take();
    const dropped = this.events.dropped;
    if (tasks.length === 0 && resources.length === 0 && steps === null && dropped === 0 && this.droppedTasks === 0) return null;
    const d: DeltaMessage = { type: 'delta', seq, time: Math.round(time * 1000) / 1000, tasks };
    if (resources.length) d.resources = resources;
    if (removed.length) d.removed = removed;
    if (dropped) d.dropped = dropped;
    if (this.droppedTasks) d.droppedTasks = this.droppedTasks;
    this.events.dropped = 0;
    this.droppedTasks = 0;
    if (steps !== null) d.steps = steps;
    return JSON.stringify(d);
  }

  /**
   * Whether a changed task only took steps since its last record and is back where it was: same
   * state, same await line, the same future, the same cancellations. Such a task (one looping on
   * `yield* sleep(0)`, or a worker back on the same Queue.get) is sent again at most once a second
   * (its step count and `since`): re-sending a thousand unchanged records every batch was most of
   * the agent's cost on a busy loop. Anything else that changed is sent at once, and a stop's batch
   * sends every record exact. (Skipped now, it is found again by the next walk or step.)
   */
  private onlyStepped(t: Task<unknown>, m: TaskMeta, time: number): boolean {
    return (
      !this.exactEpoch &&
      m.sent &&
      t._state === PENDING &&
      time - m.sentAt < STEPS_REFRESH_MS &&
      m.sentPending < 0 &&
      stateCode(t) === m.sentState &&
      t._futWaiter === m.sentWaiter &&
      t._numCancelsRequested === m.sentCancelling &&
      innermostSite(t) === m.sentSite &&
      t._sites !== null
    );
  }

  /** Ends a batch period: a new sampling epoch and budget, a fresh clock reading. */
  nextEpoch(exact = false): void {
    this.lines.clear();
    this.resourcesCompared = false;
    this.exactEpoch = exact;
    this.refreshClock();
    this.sampler.nextEpoch();
  }

  /** Records of the watched resources that changed since last sent; a resource nobody waits on any more is sent once more, then dropped. */
  private changedResources(): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const [id, entry] of this.resources) {
      // Unchanged at a glance (the same waiter list, holder, value, size): not rebuilt, which would
      // read every waiter. A stop's batch looks closer (a waiter woken but not yet run is not glanced).
      const glance = this.lines.glance(entry.res);
      if (!this.exactEpoch && entry.glance !== null && this.lines.sameGlance(entry.glance, glance)) continue;
      entry.glance = glance;
      const rec = resourceRecord(entry.res, this.lines);
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
    this.lines.clear();
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
      const rec = resourceRecord(entry.res, this.lines);
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
