/**
 * A task's times (TaskRecord busyMs, scheduledMs, idleMs, ...) in words, the same in every view,
 * and brought up to now: a record's times end at its `since`, and the time in its current state
 * since then (idle while suspended, scheduled while ready) is added here.
 */
import { formatDuration } from './describe';
import { STEP_BUCKETS_MS, type TaskRecord } from './wire';

export interface TaskTimesNow {
  busyMs: number;
  scheduledMs: number;
  idleMs: number;
  steps: number;
  /** 0: every step was shorter than STEP_BUCKETS_MS[0] (see formatLongest). */
  longestStepMs: number;
}

/** The record's times with its current state's time since `since` added (`nowMs`: loop time now); null when it has none. */
export function taskTimesNow(rec: TaskRecord, nowMs: number): TaskTimesNow | null {
  if (rec.busyMs === undefined) return null;
  const extra = Math.max(0, nowMs - rec.since);
  return {
    busyMs: rec.busyMs,
    scheduledMs: (rec.scheduledMs ?? 0) + (rec.state === 'ready' ? extra : 0),
    idleMs: (rec.idleMs ?? 0) + (rec.state === 'suspended' ? extra : 0),
    steps: rec.timedSteps ?? rec.steps,
    longestStepMs: rec.longestStepMs ?? 0,
  };
}

/** A duration of task time: `0.3 ms`, `12 ms`, `2.1 s` (finer than formatDuration below 10 ms: steps are short). */
export function formatTaskTime(ms: number): string {
  if (ms < 10 && ms > 0) return `${(Math.round(ms * 10) / 10).toFixed(1)} ms`;
  return formatDuration(ms);
}

/** The longest step: `5.1 ms`, or `<0.1 ms` when every step was shorter than the first bucket's bound. */
export function formatLongest(ms: number): string {
  return ms > 0 ? formatTaskTime(ms) : `<${STEP_BUCKETS_MS[0]} ms`;
}

/** `busy 12 ms · scheduled 0.4 ms · idle 2.1 s · 40 steps, longest 5.1 ms`. */
export function taskTimesLine(t: TaskTimesNow): string {
  const steps = `${t.steps} step${t.steps === 1 ? '' : 's'}`;
  return `busy ${formatTaskTime(t.busyMs)} · scheduled ${formatTaskTime(t.scheduledMs)} · idle ${formatTaskTime(t.idleMs)} · ${steps}, longest ${formatLongest(t.longestStepMs)}`;
}

/** The histogram's buckets as labels: `<0.1 ms`, `0.1–0.2 ms`, …, `≥1 s`. */
export function stepBucketLabels(): string[] {
  const ms = (b: number): string => (b >= 1000 ? `${b / 1000} s` : `${b} ms`);
  const out = [`<${ms(STEP_BUCKETS_MS[0])}`];
  for (let i = 1; i < STEP_BUCKETS_MS.length; i++) {
    const lo = STEP_BUCKETS_MS[i - 1];
    const hi = STEP_BUCKETS_MS[i];
    // `0.1–0.2 ms`, `100–200 ms`, `500 ms–1 s`.
    out.push(hi >= 1000 && lo < 1000 ? `${ms(lo)}–${ms(hi)}` : `${lo >= 1000 ? lo / 1000 : lo}–${ms(hi)}`);
  }
  out.push(`≥${ms(STEP_BUCKETS_MS[STEP_BUCKETS_MS.length - 1])}`);
  return out;
}

/** `<0.1 ms ×38, 1–2 ms ×2, 100–200 ms ×1`: the non-empty buckets of a record's histogram. */
export function stepHistogramText(hist: number[] | undefined, steps?: number): string {
  // (Absent: every timed step in the first bucket.)
  if (!hist) hist = steps ? [steps] : [];
  const labels = stepBucketLabels();
  const parts: string[] = [];
  hist.forEach((n, i) => {
    if (n > 0) parts.push(`${labels[i] ?? '?'} ×${n}`);
  });
  return parts.join(', ');
}
