/**
 * The timeline view: swimlanes of task steps on a canvas (renderTimeline.ts), a toolbar (follow
 * live, fit, zoom), notes when events were dropped, and a hover card saying which task and when.
 * Wheel zooms around the pointer (with or without Ctrl: trackpad pinches arrive as Ctrl+wheel),
 * Shift+wheel scrolls lanes, a horizontal wheel or a drag pans; clicking a lane selects its task.
 *
 * Draws at most once per animation frame, only while shown. The canvas exposes its current mapping
 * and the last frame's cost as data attributes (data-start, data-ms-per-px, data-draw-ms...), which
 * the browser tests read and which help when a user reports a slow timeline.
 */
import { EventKind } from '../../../runtime/src/protocol/wire';
import type { InspectorModel } from '../model/inspectorModel';
import type { Actions } from '../ui/actions';
import { el, icon } from '../ui/dom';
import { readColors, onThemeChange, type CanvasColors } from '../theme';
import { drawTimeline, GEOMETRY, Scratch, type Geometry, type Mapping } from './renderTimeline';
import { durationText, offsetText, TimeViewport, type ViewportState } from './viewport';

const ZOOM_STEP = 1.25;
/** Events read at most to describe what is under the pointer. */
const HOVER_SCAN = 200_000;

export class TimelineView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly area: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly followButton: HTMLButtonElement;
  private readonly empty: HTMLElement;
  readonly viewport: TimeViewport;
  private readonly scratch = new Scratch();
  private colors: CanvasColors | null = null;
  private visible = false;
  private frame = 0;
  private size = { width: 0, height: 0 };
  /** The mapping of the last frame drawn. */
  private mapping: Mapping = { start: 0, msPerPx: 1 };
  private hover: { x: number; y: number } | null = null;

  constructor(
    private readonly model: InspectorModel,
    private readonly actions: Actions,
    state: ViewportState,
  ) {
    this.viewport = new TimeViewport(state);
    this.canvas = el('canvas', { class: 'timeline-canvas', attrs: { tabindex: '0', 'aria-label': 'Timeline of task steps: wheel to zoom, drag to pan, click a lane to select its task' } });
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('Task Inspector: this browser gives no 2D canvas context');
    this.ctx = ctx;
    this.tooltip = el('div', { class: 'hover-card', attrs: { role: 'tooltip' } });
    this.tooltip.hidden = true;
    this.empty = el('div', { class: 'empty-note' });
    this.area = el('div', { class: 'timeline-area' }, this.canvas, this.tooltip, this.empty);

    this.followButton = el('button', { class: 'toggle', attrs: { title: 'Keep the newest events in view while the program runs', 'aria-pressed': 'false' } }, icon('pinned'), el('span', { text: 'Follow live' }));
    this.followButton.addEventListener('click', () => {
      this.viewport.follow = !this.viewport.follow;
      if (this.viewport.follow && this.viewport.msPerPx === 0) this.viewport.pin(this.mapping);
      // Pressed at once, not at the next frame's draw (a screen reader, or a test, reads it now).
      this.paintFollow();
      this.changed();
    });
    const button = (name: string, title: string, fn: () => void) => {
      const b = el('button', { class: 'icon-button', attrs: { title, 'aria-label': title } }, icon(name));
      b.addEventListener('click', fn);
      return b;
    };
    this.notes = el('span', { class: 'notes', attrs: { role: 'status' } });
    const toolbar = el(
      'div',
      { class: 'toolbar' },
      this.followButton,
      button('screen-full', 'Fit everything', () => {
        this.viewport.fit();
        this.changed();
      }),
      button('zoom-in', 'Zoom in', () => this.zoomBy(1 / ZOOM_STEP)),
      button('zoom-out', 'Zoom out', () => this.zoomBy(ZOOM_STEP)),
      el('span', { class: 'legend' }, el('span', { class: 'swatch step' }), el('span', { text: 'step' }), el('span', { class: 'swatch failed' }), el('span', { text: 'failed' }), el('span', { class: 'swatch done' }), el('span', { text: 'done' })),
      this.notes,
    );
    this.root = el('section', { class: 'view timeline-view', attrs: { 'aria-label': 'Timeline' } }, toolbar, this.area);

    this.wireInput();
    new ResizeObserver(() => this.invalidate()).observe(this.area);
    onThemeChange(() => {
      this.colors = null;
      this.invalidate();
    });
    model.onChange((c) => {
      if (c.reset) this.viewport.scrollY = 0;
      if (c.events || c.selection || c.reset || c.status || c.tasks) this.invalidate();
    });
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.invalidate();
  }

  /** Draws on the next animation frame (once, however many changes come before it). */
  invalidate(): void {
    if (!this.visible || this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private geometry(): Geometry {
    return { width: this.size.width, height: this.size.height, ...GEOMETRY };
  }

  private draw(): void {
    const box = this.area.getBoundingClientRect();
    const width = Math.floor(box.width);
    const height = Math.floor(box.height);
    if (width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (width !== this.size.width || height !== this.size.height || this.canvas.width !== Math.round(width * dpr)) {
      this.size = { width, height };
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    this.colors ??= readColors();
    const g = this.geometry();
    const plotW = Math.max(1, width - g.labelWidth);
    this.clampScroll();
    const m = this.model;
    // Where "fit" starts: the session's start, or the oldest event kept once older ones were dropped.
    const origin = m.events.length === 0 ? m.origin : m.events.evicted > 0 ? m.events.firstTime : Math.min(m.origin, m.events.firstTime);
    this.mapping = this.viewport.resolve(origin, m.now, plotW);

    const t0 = performance.now();
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const stats = drawTimeline(this.ctx, m, g, this.mapping, this.viewport.scrollY, this.colors, this.scratch);
    const ms = performance.now() - t0;

    const d = this.canvas.dataset;
    d.start = String(this.mapping.start);
    d.msPerPx = String(this.mapping.msPerPx);
    d.scrollY = String(this.viewport.scrollY);
    d.labelWidth = String(g.labelWidth);
    d.axisHeight = String(g.axisHeight);
    d.laneHeight = String(g.laneHeight);
    d.drawMs = ms.toFixed(2);
    d.eventsRead = String(stats.events);
    d.rects = String(stats.rects);
    d.frames = String(Number(d.frames ?? '0') + 1);

    this.paintFollow();
    this.empty.hidden = m.lanes.count > 0;
    this.empty.textContent =
      m.status === 'waiting' ? 'Waiting for a Loopscope debug session…' : 'No timeline events yet. Recording starts when this tab is opened (set "timeline": true in the launch configuration to record from the start).';
    this.notes.textContent = this.noteText();
    if (this.hover) this.describeHover();
  }

  private noteText(): string {
    const m = this.model;
    const parts: string[] = [];
    parts.push(`${m.events.length.toLocaleString('en-US')} events`);
    if (m.events.evicted > 0) parts.push(`oldest ${m.events.evicted.toLocaleString('en-US')} events dropped (memory bound)`);
    if (m.lostEvents > 0) parts.push(`${m.lostEvents.toLocaleString('en-US')} events lost while the debugger was behind`);
    if (m.lostTasks > 0) parts.push(`${m.lostTasks.toLocaleString('en-US')} short-lived tasks not recorded`);
    return parts.join(' · ');
  }

  private clampScroll(): void {
    const g = this.geometry();
    const max = Math.max(0, this.model.lanes.count * g.laneHeight - (g.height - g.axisHeight));
    this.viewport.scrollY = Math.min(max, Math.max(0, this.viewport.scrollY));
  }

  /** The user changed the view: redraw and persist. */
  private changed(): void {
    this.invalidate();
    this.actions.stateChanged();
  }

  private zoomBy(factor: number, atX?: number): void {
    const plotW = Math.max(1, this.size.width - GEOMETRY.labelWidth);
    this.viewport.zoomAt(this.mapping, atX ?? plotW / 2, factor);
    this.changed();
  }

  private paintFollow(): void {
    this.followButton.setAttribute('aria-pressed', String(this.viewport.follow));
    this.followButton.classList.toggle('on', this.viewport.follow);
  }

  // ------------------------------------------------------------ input

  private wireInput(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = c.getBoundingClientRect();
        if (e.shiftKey) {
          this.viewport.scrollY += e.deltaY || e.deltaX;
          this.changed();
        } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          this.viewport.panBy(this.mapping, e.deltaX);
          this.changed();
        } else {
          const x = Math.max(0, e.clientX - r.left - GEOMETRY.labelWidth);
          this.zoomBy(Math.exp(e.deltaY * (e.ctrlKey ? 0.01 : 0.002)), x);
        }
      },
      { passive: false },
    );
    let drag: { x: number; y: number; mapping: Mapping; scrollY: number; moved: boolean; id: number } | null = null;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, mapping: this.mapping, scrollY: this.viewport.scrollY, moved: false, id: e.pointerId };
    });
    c.addEventListener('pointermove', (e) => {
      const r = c.getBoundingClientRect();
      this.hover = { x: e.clientX - r.left, y: e.clientY - r.top };
      if (drag && e.pointerId === drag.id) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) >= 4) {
          drag.moved = true;
          c.setPointerCapture(e.pointerId);
          c.classList.add('dragging');
        }
        if (drag.moved) {
          this.viewport.pin(drag.mapping);
          this.viewport.start = drag.mapping.start - dx * drag.mapping.msPerPx;
          this.viewport.follow = false;
          this.viewport.scrollY = drag.scrollY - dy;
          this.changed();
          return;
        }
      }
      this.describeHover();
    });
    c.addEventListener('pointerleave', () => {
      this.hover = null;
      this.tooltip.hidden = true;
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const clicked = !drag.moved && e.type === 'pointerup';
      drag = null;
      c.classList.remove('dragging');
      if (!clicked) return;
      const r = c.getBoundingClientRect();
      const lane = this.laneAt(e.clientY - r.top);
      if (lane >= 0) this.actions.selectTask(this.model.lanes.taskIds[lane]);
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('keydown', (e) => {
      const plotW = Math.max(1, this.size.width - GEOMETRY.labelWidth);
      switch (e.key) {
        case '+':
        case '=':
          this.zoomBy(1 / ZOOM_STEP);
          break;
        case '-':
          this.zoomBy(ZOOM_STEP);
          break;
        case 'ArrowLeft':
          this.viewport.panBy(this.mapping, -plotW / 8);
          this.changed();
          break;
        case 'ArrowRight':
          this.viewport.panBy(this.mapping, plotW / 8);
          this.changed();
          break;
        case 'ArrowUp':
          this.viewport.scrollY -= GEOMETRY.laneHeight;
          this.changed();
          break;
        case 'ArrowDown':
          this.viewport.scrollY += GEOMETRY.laneHeight;
          this.changed();
          break;
        case 'Home':
          this.viewport.fit();
          this.changed();
          break;
        default:
          return;
      }
      e.preventDefault();
    });
  }

  private laneAt(y: number): number {
    const g = this.geometry();
    if (y < g.axisHeight) return -1;
    const lane = Math.floor((y - g.axisHeight + this.viewport.scrollY) / g.laneHeight);
    return lane < this.model.lanes.count ? lane : -1;
  }

  /** Fills the hover card: the task under the pointer, the time, and its steps in that pixel. */
  private describeHover(): void {
    const h = this.hover;
    const g = this.geometry();
    const lane = h ? this.laneAt(h.y) : -1;
    if (!h || lane < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const m = this.model;
    const id = m.lanes.taskIds[lane];
    const lines = [`${m.nameOf(id)} #${id}`];
    const state = m.task(id)?.state;
    if (state) lines[0] += ` (${state})`;
    if (h.x >= g.labelWidth) {
      const { start, msPerPx } = this.mapping;
      const t = start + (h.x - g.labelWidth) * msPerPx;
      lines.push(`at ${offsetText(t - m.origin)}`);
      const steps = this.stepsNear(id, t - msPerPx / 2, t + msPerPx / 2);
      if (steps.count === 1 && steps.step) lines.push(`step of ${durationText(steps.step.end - steps.step.start)} from ${offsetText(steps.step.start - m.origin)}`);
      else if (steps.count > 1) lines.push(`${steps.count.toLocaleString('en-US')} steps, ${durationText(steps.busy)} busy in ${durationText(msPerPx)}`);
      else lines.push('not running');
    }
    this.tooltip.textContent = lines.join('\n');
    this.tooltip.hidden = false;
    const maxX = this.size.width - 260;
    this.tooltip.style.left = `${Math.max(0, Math.min(h.x + 12, maxX))}px`;
    this.tooltip.style.top = `${h.y + 16}px`;
  }

  /**
   * The steps of task `id` that overlap [a, b]: how many, how long they ran within it, and the
   * whole extent of the last one (for "step of 2.1 ms" when zoomed in on a single step).
   */
  private stepsNear(id: number, a: number, b: number): { count: number; busy: number; step: { start: number; end: number } | null } {
    const store = this.model.events;
    let count = 0;
    let busy = 0;
    let step: { start: number; end: number } | null = null;
    // The step open at `a`, if any: the task's latest resumed-or-ended event before it.
    let open = NaN;
    const i0 = store.lowerBound(a);
    for (let j = i0 - 1; j >= Math.max(0, i0 - HOVER_SCAN); j--) {
      if (store.taskAt(j) !== id) continue;
      const k = store.kindAt(j);
      if (k === EventKind.resumed) open = store.timeAt(j);
      if (k !== EventKind.created && k !== EventKind.scheduled) break;
    }
    const limit = Math.min(store.length, i0 + HOVER_SCAN);
    let j = i0;
    for (; j < limit; j++) {
      const t = store.timeAt(j);
      if (t > b) break;
      if (store.taskAt(j) !== id) continue;
      const k = store.kindAt(j);
      if (k === EventKind.resumed) open = t;
      else if (k >= EventKind.suspended && open === open) {
        count++;
        busy += t - Math.max(a, open);
        step = { start: open, end: t };
        open = NaN;
      }
    }
    if (open === open) {
      // A step still running at b: find where it ends (or it runs until now).
      let end = this.model.now;
      for (; j < limit; j++) {
        if (store.taskAt(j) !== id) continue;
        const k = store.kindAt(j);
        if (k >= EventKind.suspended) {
          end = store.timeAt(j);
          break;
        }
      }
      count++;
      busy += Math.max(0, Math.min(b, end) - Math.max(a, open));
      step = { start: open, end };
    }
    return { count, busy, step };
  }
}
