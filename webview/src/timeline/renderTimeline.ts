/**
 * Draws the timeline on a canvas: one swimlane per task, a bar for each step (from `resumed` to
 * the step's end: suspended, done, failed, cancelled), the task's life span behind it, a time axis.
 *
 * Cost is bounded by what is on screen, not by the recording: the first event of the visible time
 * range is found by binary search and only events up to its end are read; events of lanes
 * scrolled out of view are skipped after one array read. Steps are not drawn one by one: each
 * visible lane accumulates, per pixel column, the fraction of that pixel's time spent in steps
 * (level-of-detail aggregation), and runs of columns at the same density level are filled with one
 * rectangle. So a million events in view cost one pass over them plus at most a few rectangles per
 * pixel column, and a zoomed-in view draws exact bars.
 */
import { EventKind } from '../../../runtime/src/protocol/wire';
import type { InspectorModel } from '../model/inspectorModel';
import type { CanvasColors } from '../theme';
import { tickLabel, tickStep } from './viewport';

export interface Geometry {
  /** CSS px. */
  width: number;
  height: number;
  labelWidth: number;
  axisHeight: number;
  laneHeight: number;
  barHeight: number;
}

export const GEOMETRY = { labelWidth: 170, axisHeight: 24, laneHeight: 20, barHeight: 12 };

export interface Mapping {
  /** Loop ms at the plot's left edge. */
  start: number;
  msPerPx: number;
}

export interface DrawStats {
  /** Events read for this frame. */
  events: number;
  /** Rectangles filled for steps. */
  rects: number;
  /** Lanes drawn. */
  lanes: number;
}

/** Density levels: a pixel column's busy fraction → opacity. Level 0 draws nothing. */
const LEVEL_ALPHA = [0, 0.45, 0.65, 0.85, 1];
/** How far back (events) to look for a step that began before the view and spans all of it. */
const SCAN_BACK = 10_000;

/** Per-frame buffers, reused from frame to frame. */
export class Scratch {
  busy = new Float32Array(0);
  hit = new Uint8Array(0);
  open = new Float64Array(0);
  ensure(rows: number, plotWidth: number): void {
    const n = rows * plotWidth;
    if (this.busy.length < n) {
      this.busy = new Float32Array(n);
      this.hit = new Uint8Array(n);
    } else {
      this.busy.fill(0, 0, n);
      this.hit.fill(0, 0, n);
    }
    if (this.open.length < rows) this.open = new Float64Array(rows);
  }
}

export function visibleLanes(g: Geometry, scrollY: number, laneCount: number): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollY / g.laneHeight));
  const last = Math.min(laneCount, Math.ceil((scrollY + g.height - g.axisHeight) / g.laneHeight));
  return { first, last };
}

export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: InspectorModel,
  g: Geometry,
  map: Mapping,
  scrollY: number,
  colors: CanvasColors,
  scratch: Scratch,
): DrawStats {
  const stats: DrawStats = { events: 0, rects: 0, lanes: 0 };
  const plotW = Math.max(1, Math.floor(g.width - g.labelWidth));
  const { start: t0, msPerPx } = map;
  const t1 = t0 + plotW * msPerPx;
  const lanes = model.lanes;
  const { first, last } = visibleLanes(g, scrollY, lanes.count);
  const rows = Math.max(0, last - first);
  stats.lanes = rows;
  const laneY = (lane: number) => g.axisHeight + lane * g.laneHeight - scrollY;
  const xOf = (t: number) => g.labelWidth + (t - t0) / msPerPx;

  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, g.width, g.height);
  ctx.font = colors.font;
  ctx.textBaseline = 'middle';

  // Lane backgrounds: the selected lane, alternate stripes, each task's life span.
  const selectedLane = model.selectedTaskId === null ? -1 : lanes.laneOf(model.selectedTaskId);
  for (let lane = first; lane < last; lane++) {
    const y = laneY(lane);
    if (lane === selectedLane) {
      ctx.fillStyle = colors.selection;
      ctx.fillRect(0, y, g.width, g.laneHeight);
    } else if (lane % 2 === 1) {
      ctx.globalAlpha = 0.35;
      ctx.fillStyle = colors.lane;
      ctx.fillRect(0, y, g.width, g.laneHeight);
      ctx.globalAlpha = 1;
    }
    const from = Math.max(xOf(lanes.start[lane]), g.labelWidth);
    const to = Math.min(xOf(Math.min(lanes.end[lane], model.now)), g.width);
    if (to >= from) {
      ctx.fillStyle = colors.life;
      ctx.globalAlpha = 0.5;
      ctx.fillRect(from, y + g.laneHeight / 2 - 0.5, Math.max(1, to - from), 1);
      ctx.globalAlpha = 1;
    }
  }

  // Steps, aggregated per pixel column.
  if (rows > 0) {
    scratch.ensure(rows, plotW);
    const { busy, hit, open } = scratch;
    open.fill(-Infinity, 0, rows); // -Infinity: no event of this lane seen yet; NaN: no step open
    const store = model.events;
    const table = lanes.table;
    const laneOf = (id: number) => (id >= 0 && id < table.length ? table[id] : lanes.laneOf(id));

    const addBusy = (row: number, a: number, b: number) => {
      let xa = (a - t0) / msPerPx;
      let xb = (b - t0) / msPerPx;
      if (xb < 0 || xa >= plotW) return;
      if (xa < 0) xa = 0;
      if (xb > plotW) xb = plotW;
      const base = row * plotW;
      const pa = xa | 0;
      let pb = xb | 0;
      hit[base + pa] = 1;
      if (pb >= plotW) pb = plotW - 1;
      if (pa === pb) {
        busy[base + pa] += xb - xa;
        return;
      }
      busy[base + pa] += pa + 1 - xa;
      for (let p = pa + 1; p < pb; p++) busy[base + p] += 1;
      busy[base + pb] += xb - pb;
    };

    const i0 = store.lowerBound(t0);
    // A step that began before the view and has not ended inside it: the loop runs one step at a
    // time, so it is the latest resumed-or-ended event before the view, if that is a resume.
    for (let j = i0 - 1; j >= Math.max(0, i0 - SCAN_BACK); j--) {
      const k = store.kindAt(j);
      if (k === EventKind.created || k === EventKind.scheduled) continue;
      if (k === EventKind.resumed) {
        const row = laneOf(store.taskAt(j)) - first;
        if (row >= 0 && row < rows) open[row] = t0;
      }
      break;
    }

    const chunks = store.chunks;
    let c = i0 >>> 16;
    let j = i0 & 0xffff;
    let read = 0;
    scan: for (; c < chunks.length; c++, j = 0) {
      const chunk = chunks[c];
      const T = chunk.time;
      const ID = chunk.task;
      const K = chunk.kind;
      const n = chunk.length;
      for (; j < n; j++) {
        const t = T[j];
        if (t > t1) break scan;
        read++;
        const row = laneOf(ID[j]) - first;
        if (row < 0 || row >= rows) continue;
        const k = K[j];
        if (k === EventKind.resumed) open[row] = t;
        else if (k >= EventKind.suspended) {
          const s = open[row];
          // No event of this lane seen yet: the step began before the view.
          if (s === -Infinity) addBusy(row, t0, t);
          else if (s === s) addBusy(row, s, t);
          open[row] = NaN;
        }
      }
    }
    stats.events = read;
    // Steps still open at the end of the range: drawn to the edge, or to now if that is sooner.
    const end = Math.min(t1, model.now);
    for (let row = 0; row < rows; row++) {
      const s = open[row];
      if (s === s && s !== -Infinity && end >= s) addBusy(row, s, end);
    }

    ctx.fillStyle = colors.step;
    for (let row = 0; row < rows; row++) {
      const y = laneY(first + row) + (g.laneHeight - g.barHeight) / 2;
      const base = row * plotW;
      let runStart = -1;
      let runLevel = 0;
      for (let p = 0; p <= plotW; p++) {
        let level = 0;
        if (p < plotW && (hit[base + p] || busy[base + p] > 0)) {
          const d = busy[base + p];
          level = d >= 0.85 ? 4 : d >= 0.5 ? 3 : d >= 0.2 ? 2 : 1;
        }
        if (level === runLevel) continue;
        if (runLevel > 0) {
          ctx.globalAlpha = LEVEL_ALPHA[runLevel];
          ctx.fillRect(g.labelWidth + runStart, y, p - runStart, g.barHeight);
          stats.rects++;
        }
        runStart = p;
        runLevel = level;
      }
    }
    ctx.globalAlpha = 1;

    // How each task ended: a tick at its end (red: failed, green: done, yellow: cancelled).
    for (let lane = first; lane < last; lane++) {
      const kind = lanes.endKind[lane];
      if (kind < 0) continue;
      const x = xOf(lanes.end[lane]);
      if (x < g.labelWidth || x > g.width) continue;
      ctx.fillStyle = kind === EventKind.failed ? colors.failed : kind === EventKind.cancelled ? colors.cancelled : colors.done;
      ctx.fillRect(Math.round(x) - 1, laneY(lane) + 2, 3, g.laneHeight - 4);
    }
  }

  // Now.
  const xNow = xOf(model.now);
  if (model.lanes.count > 0 && xNow >= g.labelWidth && xNow <= g.width) {
    ctx.fillStyle = colors.now;
    ctx.fillRect(Math.round(xNow), g.axisHeight, 1, g.height - g.axisHeight);
  }

  // Lane labels, over a solid column.
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, g.axisHeight, g.labelWidth, g.height - g.axisHeight);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, g.axisHeight, g.labelWidth - 6, g.height - g.axisHeight);
  ctx.clip();
  for (let lane = first; lane < last; lane++) {
    const id = lanes.taskIds[lane];
    const y = laneY(lane);
    if (lane === selectedLane) {
      ctx.fillStyle = colors.selection;
      ctx.fillRect(0, y, g.labelWidth, g.laneHeight);
    }
    ctx.fillStyle = lanes.endKind[lane] >= 0 ? colors.muted : colors.foreground;
    ctx.fillText(`${model.nameOf(id)} #${id}`, 8, y + g.laneHeight / 2);
  }
  ctx.restore();
  ctx.fillStyle = colors.grid;
  ctx.fillRect(g.labelWidth - 1, g.axisHeight, 1, g.height - g.axisHeight);

  // Axis.
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, g.width, g.axisHeight);
  ctx.fillStyle = colors.grid;
  ctx.fillRect(0, g.axisHeight - 1, g.width, 1);
  const step = tickStep(msPerPx, 90);
  const origin = model.origin;
  ctx.fillStyle = colors.muted;
  for (let k = Math.ceil((t0 - origin) / step); ; k++) {
    const t = origin + k * step;
    const x = xOf(t);
    if (x > g.width) break;
    if (x < g.labelWidth) continue;
    ctx.fillRect(Math.round(x), g.axisHeight - 6, 1, 6);
    ctx.fillText(tickLabel(k * step, step), Math.round(x) + 3, g.axisHeight / 2);
  }
  return stats;
}
