/**
 * Time per task and slow steps (issue 14), as tokio-console and asyncio's debug mode give them:
 * for each task its busy time (in its steps), scheduled time (ready until running: the loop's lag
 * for that task), idle time (suspended), timed steps, longest step and a histogram of step
 * durations; the loop's mean lag over the last second; and every step longer than a threshold
 * (asyncio's slow_callback_duration, 100 ms) reported with where it resumed and where it suspended.
 *
 * Installed while a debugger is connected, so it runs at every task switch: each hook reads the
 * coarse clock (one memory load, coarseClock.ts; never performance.now(), which costs more than the
 * switch) and adds into the task's TaskMeta. Each state change adds the time since the last one to
 * the state it leaves, so the three times add up to the task's life exactly (as the clock sees it).
 * A step shorter than the clock's tick (~0.2 ms) measures 0. Times exclude the debugger's stops:
 * they read the loop's paused time as loop.time() does (a stop inside a step, at a suspend
 * breakpoint with a JavaScript debugger attached, ends the step's time where the stop began).
 * The real clock is read only at a task's first scheduling, its last step's end and a long step's
 * end: a task's times add up to its life exactly, and a slow step is never measured short.
 */
import { PENDING, CANCELLED } from '../future';
import type { Task } from '../task';
import type { EventLoop } from '../loop';
import type { Instrument } from '../hooks';
import { innermostSite, siteFrame } from '../sites/registry';
import { STEP_BUCKETS_MS, type Frame, type LoopLagMessage, type SlowStepMessage, type TaskRecord } from '../protocol/wire';
import { CoarseClock } from './coarseClock';
import { firstFrame } from './sampling';
import type { TaskMeta } from './recorder';

/** The environment variable setting the slow-step threshold (ms); 0 turns slow-step reports off. */
export const SLOW_STEP_ENV = 'LOOPSCOPE_SLOW_STEP_MS';
/** asyncio's slow_callback_duration. */
// Off unless asked for, as asyncio's debug mode: timing every step costs the program about half
// again on a busy loop (docs/performance.md), more than the rest of watching together.
export const DEFAULT_SLOW_STEP_MS = 0;
/** Slow steps kept between two batches at most; more are counted (SlowStepMessage.dropped). */
export const MAX_PENDING_SLOW_STEPS = 100;
/** The period of the loop's lag (LoopLagMessage), ms. */
export const LAG_PERIOD_MS = 1000;
/** Steps at least this long (ms) go to the histogram's upper buckets (shorter ones are counted as timedSteps minus those). */
const FIRST_BOUND = STEP_BUCKETS_MS[0];

/** The slow-step threshold from the environment (0: off). Throws (a message for the user) on a bad value. */
export function slowStepThreshold(env: NodeJS.ProcessEnv): number {
  const text = env[SLOW_STEP_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_SLOW_STEP_MS;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${SLOW_STEP_ENV}=${JSON.stringify(text)}: expected a number of milliseconds (0 turns slow-step reports off)`);
  return ms;
}

/** The loop's fields loop.time() reads to leave out the time the debugger held it paused. */
interface PausedTime {
  _pausedAt: number;
  _pausedTotal: number;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A task's slot in the slab: its time of last change of state, then busy, scheduled and idle time,
 * its longest step (of those of FIRST_BOUND or more: shorter ones are below the clock's tick), and
 * its step count when its slot was taken (timed steps = task._steps minus that).
 */
const MARK = 0;
const BUSY = 1;
const SCHED = 2;
const IDLE = 3;
const LONGEST = 4;
const STEPS_BEFORE = 5;
/** Where a finished task's timed step count is kept (its slot copied into TaskMeta.tFinal). */
const STEPS_DONE = 6;
/** Doubles per slot: a cache line. */
const STRIDE = 8;

/**
 * The times of unfinished tasks, in one Float64Array: doubles in an object's fields live in boxes
 * of their own (one more memory access each, scattered), and the hooks run at every task switch.
 * A slot is taken at a task's first scheduling and given back when it finishes (its times are copied
 * into its TaskMeta then).
 */
export class TimeSlab {
  data = new Float64Array(STRIDE * 1024);
  private readonly free: number[] = [];
  private next = 0;

  alloc(mark: number, stepsBefore: number): number {
    let s = this.free.pop();
    if (s === undefined) {
      s = this.next;
      this.next += STRIDE;
      if (this.next > this.data.length) {
        const bigger = new Float64Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
    }
    const a = this.data;
    a.fill(0, s, s + STRIDE);
    a[s + MARK] = mark;
    a[s + STEPS_BEFORE] = stepsBefore;
    return s;
  }

  release(s: number): void {
    this.free.push(s);
  }
}

export class TaskTimes implements Instrument {
  readonly slab = new TimeSlab();
  private readonly clock = new CoarseClock();
  /** Steps at least this long are reported; Infinity: never. */
  private slowMs: number;
  /** min(slowMs, FIRST_BOUND): below it a step's end does nothing more than add. */
  private coldFrom: number;
  private readonly pending: SlowStepMessage[] = [];
  private dropped = 0;
  /** The lag period: waits summed, counted and their longest, since periodStart (performance.now() ms). */
  private lagSum = 0;
  private lagSteps = 0;
  private lagMax = 0;
  private periodStart = performance.now();
  private lastPeriodHadSteps = false;

  constructor(thresholdMs: number = DEFAULT_SLOW_STEP_MS) {
    this.slowMs = thresholdMs > 0 ? thresholdMs : Infinity;
    this.coldFrom = Math.min(this.slowMs, FIRST_BOUND);
  }

  /** The slow-step threshold (ms; 0: off). */
  get thresholdMs(): number {
    return this.slowMs === Infinity ? 0 : this.slowMs;
  }

  set thresholdMs(ms: number) {
    this.slowMs = ms > 0 ? ms : Infinity;
    this.coldFrom = Math.min(this.slowMs, FIRST_BOUND);
  }

  /** Starts the clock thread (a debugger connected). */
  start(): void {
    this.clock.start();
    this.periodStart = performance.now();
  }

  /** Ends the clock thread and forgets what was not sent (the debugger left). */
  stop(): void {
    this.clock.stop();
    this.pending.length = 0;
    this.dropped = 0;
  }

  /**
   * Real time (ms) without the debugger's stops, as loop.time() counts it, for a memory load. (No
   * step starts while the loop is paused; a stop inside a step makes the step long, and its end is
   * then read by exactTime, which sees the pause.)
   */
  private time(loop: EventLoop): number {
    return this.clock.now() - (loop as unknown as PausedTime)._pausedTotal;
  }

  /** The same on the real clock, and right while the loop is paused (a stop taken inside a step). */
  private exactTime(loop: EventLoop): number {
    const l = loop as unknown as PausedTime;
    return (l._pausedAt >= 0 ? l._pausedAt : performance.now()) - l._pausedTotal;
  }

  // ------------------------------------------------------------ hooks (every task switch)

  taskScheduled(task: Task<unknown>): void {
    const m = task._meta as TaskMeta | null;
    if (m === null) return;
    const loop = task._loop;
    // Scheduled inside its own step (sleep(0), a misuse error): it becomes ready when the step
    // ends, and afterTaskStep marks that moment.
    if (loop._currentTask === task) return;
    const s = m.tSlot;
    if (s >= 0) {
      // (Woken while the debugger holds the loop: by a command, or a callback outside the loop.)
      const t = (loop as unknown as PausedTime)._pausedAt >= 0 ? this.exactTime(loop) : this.time(loop);
      const a = this.slab.data;
      a[s + IDLE] += t - a[s + MARK];
      a[s + MARK] = t;
    } else if (m.tFinal === null) {
      // Its life starts: once per task, on the real clock (a tick may be stale by ms on a loaded machine).
      m.tSlab = this.slab;
      m.tSlot = this.slab.alloc(this.exactTime(loop), task._steps);
    }
  }

  /** The running step's start, and the await site it resumed from (kept for a slow step's report: after the step the sites say where it suspended). */
  private stepStart = 0;
  private resumeSite = -1;

  // Kept to a clock read and three stores: all the accounting is done once, at the step's end.
  beforeTaskStep(task: Task<unknown>): void {
    this.stepStart = this.time(task._loop);
    const sites = task._sites;
    this.resumeSite = sites !== null && task._depth > 0 ? sites[task._depth - 1] : -1;
  }

  // The common case in a few loads and stores, small enough for V8 to inline into the step; the
  // rest (a task's first timed step, a long step, its last) in stepEnd.
  afterTaskStep(task: Task<unknown>): void {
    const m = task._meta as TaskMeta | null;
    if (m === null) return;
    const s = m.tSlot;
    const start = this.stepStart;
    const t = this.time(task._loop);
    if (s < 0 || t - start >= this.coldFrom || task._state !== PENDING) {
      this.stepEnd(task, m, start);
      return;
    }
    const a = this.slab.data;
    const w = start - a[s + MARK];
    a[s + SCHED] += w;
    this.lagSum += w;
    this.lagSteps++;
    if (w > this.lagMax) this.lagMax = w;
    a[s + MARK] = t;
    a[s + BUSY] += t - start;
  }

  private stepEnd(task: Task<unknown>, m: TaskMeta, start: number): void {
    const loop = task._loop;
    let s = m.tSlot;
    if (s < 0) {
      // Watched since it was already ready (the debugger attached late): its times start with this step.
      m.tSlab = this.slab;
      s = m.tSlot = this.slab.alloc(start, task._steps - 1);
    }
    // A long step, or the last: its end read from the real clock (the tick may be stale; the start's
    // staleness only lengthens a step), so that a step reported as slow is never shorter than it
    // was, and a task's times add up to its life.
    const t = this.exactTime(loop);
    const d = t - start;
    this.longStep(task, m, d);
    const a = this.slab.data;
    const w = start - a[s + MARK];
    a[s + SCHED] += w;
    this.lagSum += w;
    this.lagSteps++;
    if (w > this.lagMax) this.lagMax = w;
    a[s + MARK] = t;
    a[s + BUSY] += d;
    if (task._state !== PENDING) {
      a[s + STEPS_DONE] = task._steps - a[s + STEPS_BEFORE];
      m.tFinal = [a[s], a[s + 1], a[s + 2], a[s + 3], a[s + 4], a[s + 5], a[s + 6]];
      m.tSlot = -1;
      this.slab.release(s);
    }
  }

  // ------------------------------------------------------------ the rare long step

  private longStep(task: Task<unknown>, m: TaskMeta, d: number): void {
    if (d < this.coldFrom) return;
    if (d >= FIRST_BOUND) {
      const s = m.tSlot;
      const a = this.slab.data;
      if (d > a[s + LONGEST]) a[s + LONGEST] = d;
      const h = (m.tHist ??= new Array<number>(STEP_BUCKETS_MS.length + 1).fill(0));
      let i = 1;
      while (i < STEP_BUCKETS_MS.length && d >= STEP_BUCKETS_MS[i]) i++;
      h[i]++;
    }
    if (d >= this.slowMs) this.slowStep(task, m, d);
  }

  private slowStep(task: Task<unknown>, m: TaskMeta, d: number): void {
    if (this.pending.length >= MAX_PENDING_SLOW_STEPS) {
      this.dropped++;
      return;
    }
    const msg: SlowStepMessage = { type: 'slowStep', taskId: task.id, name: task.getName(), durationMs: round3(d), thresholdMs: this.slowMs, time: round3(task._loop.time()) };
    const resumed = this.resumeSite >= 0 ? siteFrame(this.resumeSite) : null;
    if (resumed !== null) msg.resumedAt = { ...resumed };
    else if (task._steps === 1) msg.firstStep = true;
    const s = task._state;
    if (s === PENDING) {
      const site = innermostSite(task);
      const at: Frame | null | undefined = site >= 0 ? siteFrame(site) : firstFrame(task._suspendStack);
      if (at) msg.suspendedAt = { ...at };
    } else msg.outcome = s === CANCELLED ? 'cancelled' : task._hasException ? 'failed' : 'done';
    this.pending.push(msg);
  }

  // ------------------------------------------------------------ what the batches send

  /** The slow steps since the last call, the last one counting those dropped. */
  takeSlowSteps(): SlowStepMessage[] {
    if (this.pending.length === 0) return [];
    const out = this.pending.splice(0);
    if (this.dropped > 0) out[out.length - 1].dropped = this.dropped;
    this.dropped = 0;
    return out;
  }

  /** The loop's lag once a period has passed (null: not yet, or a second quiet period). */
  takeLag(now: number = performance.now()): LoopLagMessage | null {
    const period = now - this.periodStart;
    if (period < LAG_PERIOD_MS) return null;
    const steps = this.lagSteps;
    const msg: LoopLagMessage | null =
      steps > 0 || this.lastPeriodHadSteps ? { type: 'loopLag', meanMs: steps > 0 ? round3(this.lagSum / steps) : 0, maxMs: round3(this.lagMax), steps, periodMs: Math.round(period) } : null;
    this.lastPeriodHadSteps = steps > 0;
    this.lagSum = 0;
    this.lagSteps = 0;
    this.lagMax = 0;
    this.periodStart = now;
    return msg;
  }
}

/** A task's times into its record (nothing until it took a timed step). */
export function timesInto(rec: TaskRecord, m: TaskMeta, task: Task<unknown>): void {
  let a: ArrayLike<number>;
  let s = 0;
  let steps: number;
  if (m.tSlot >= 0 && m.tSlab !== null) {
    a = m.tSlab.data;
    s = m.tSlot;
    steps = task._steps - a[s + STEPS_BEFORE];
  } else if (m.tFinal !== null) {
    a = m.tFinal;
    steps = a[STEPS_DONE];
  } else return;
  if (steps === 0) return;
  // Lean: records go out by the thousand. Left out when they say nothing: timedSteps equal to
  // steps, a longest step under the first bucket's bound, a histogram with every step in it.
  rec.busyMs = round3(a[s + BUSY]);
  rec.scheduledMs = round3(a[s + SCHED]);
  rec.idleMs = round3(a[s + IDLE]);
  if (steps !== task._steps) rec.timedSteps = steps;
  const h = m.tHist;
  if (h === null) return;
  rec.longestStepMs = round3(a[s + LONGEST]);
  const counts = h.slice();
  let rest = 0;
  for (let i = 1; i < counts.length; i++) rest += counts[i];
  counts[0] = steps - rest;
  let n = counts.length;
  while (n > 1 && counts[n - 1] === 0) n--;
  rec.stepHistogram = counts.slice(0, n);
}
