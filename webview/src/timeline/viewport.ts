/**
 * The timeline's horizontal mapping between loop time and pixels, and its vertical scroll over lanes.
 * `msPerPx === 0` means "fit": show everything from the origin to now, recomputed as time grows.
 * `follow` keeps the right edge at the newest event while the program runs.
 */

export const MIN_MS_PER_PX = 1e-4; // 0.1 µs a pixel
export const MAX_MS_PER_PX = 1e7;

export interface ViewportState {
  start: number;
  msPerPx: number;
  follow: boolean;
}

export class TimeViewport {
  /** Loop ms at the plot's left edge. */
  start: number;
  /** 0: fit everything. */
  msPerPx: number;
  follow: boolean;
  /** Vertical scroll over the lanes, in px. */
  scrollY = 0;

  constructor(s: ViewportState) {
    this.start = s.start;
    this.msPerPx = s.msPerPx;
    this.follow = s.follow;
  }

  get state(): ViewportState {
    return { start: this.start, msPerPx: this.msPerPx, follow: this.follow };
  }

  /** The mapping to draw with, given the data's span and the plot's width: fit and follow applied. */
  resolve(origin: number, now: number, plotWidth: number): { start: number; msPerPx: number } {
    const width = Math.max(1, plotWidth);
    const span = Math.max(10, now - origin);
    if (this.msPerPx === 0) return { start: origin, msPerPx: (span * 1.02) / width };
    if (this.follow) {
      const window = this.msPerPx * width;
      // Until the data is wider than the window, show it from its start; then slide with it.
      const start = now - origin <= window * 0.98 ? origin : now - window * 0.98;
      return { start, msPerPx: this.msPerPx };
    }
    return { start: this.start, msPerPx: this.msPerPx };
  }

  /** Pins the current resolved mapping (the user takes control: zoom, pan). */
  pin(resolved: { start: number; msPerPx: number }): void {
    this.start = resolved.start;
    this.msPerPx = resolved.msPerPx;
  }

  /** Zooms by `factor` (>1: out) keeping the time under pixel `x` in place. */
  zoomAt(resolved: { start: number; msPerPx: number }, x: number, factor: number): void {
    const t = resolved.start + x * resolved.msPerPx;
    const k = Math.min(MAX_MS_PER_PX, Math.max(MIN_MS_PER_PX, resolved.msPerPx * factor));
    this.msPerPx = k;
    this.start = t - x * k;
    this.follow = false;
  }

  /** Moves the view by `dx` pixels (positive: later times come into view from the right). */
  panBy(resolved: { start: number; msPerPx: number }, dx: number): void {
    this.pin(resolved);
    this.start += dx * resolved.msPerPx;
    this.follow = false;
  }

  fit(): void {
    this.msPerPx = 0;
    this.follow = true;
  }
}

/** A "nice" tick step (1, 2 or 5 × 10^k ms) giving at least `minPx` between ticks. */
export function tickStep(msPerPx: number, minPx: number): number {
  const raw = msPerPx * minPx;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** A tick label: ms since the origin, in the unit that suits the step (`1.5 s`, `250 ms`, `0.25 ms`, `40 µs`). */
export function tickLabel(msFromOrigin: number, step: number): string {
  const sign = msFromOrigin < 0 ? '-' : '';
  const v = Math.abs(msFromOrigin);
  if (step >= 100) return `${sign}${(v / 1000).toFixed(Math.max(0, -Math.floor(Math.log10(step / 1000) + 1e-9)))} s`;
  if (step >= 1) return `${sign}${v.toFixed(0)} ms`;
  if (step >= 0.001) return `${sign}${trim(v.toFixed(Math.ceil(-Math.log10(step) - 1e-9)))} ms`;
  return `${sign}${trim((v * 1000).toFixed(Math.max(0, Math.ceil(-Math.log10(step * 1000) - 1e-9))))} µs`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A time offset for hover text: `+1.234 s`, `+12.5 ms`, `+3.2 µs`. */
export function offsetText(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '+';
  if (a >= 1000) return `${sign}${(a / 1000).toFixed(3)} s`;
  if (a >= 1) return `${sign}${a.toFixed(2)} ms`;
  return `${sign}${(a * 1000).toFixed(1)} µs`;
}

/** A duration for hover text, precise below a millisecond. */
export function durationText(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}
