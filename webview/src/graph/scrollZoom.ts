/**
 * Where the await graph's SVG is shown: a scrolling area, so a graph bigger than the panel is
 * scrolled (wheel, scroll bars, keyboard focus, or dragging) rather than shrunk until its text is
 * a few pixels tall. Ctrl+wheel (a trackpad pinch sends the same) zooms around the pointer.
 *
 * Fitting never goes below READABLE_SCALE (13 px labels stay at least 10 px); when the graph is
 * bigger than that, a note over the graph says which way the rest is. The SVG is sized to the
 * scaled graph plus padding (at least the area), the graph centred in it:
 * svg = graph * scale + (tx, ty).
 */
import { el, svg } from '../ui/dom';

/** The smallest scale a fit goes to: text stays readable, what does not fit scrolls. */
export const READABLE_SCALE = 0.8;
/** Fitting a small graph never blows it up beyond this. */
const MAX_FIT_SCALE = 1.25;
const MIN_SCALE = 0.1;
const MAX_SCALE = 4;
/** Space kept around the graph (px). */
export const PAD = 24;
/** Below a graph taller than the area: room for the note, so that scrolled to the end it hides nothing. */
const HINT_ROOM = 44;
/** Pointer travel (px) below which a press-release is a click, not a drag. */
const CLICK_SLOP = 4;

export interface ScrollZoomEvents {
  /** A press and release without a drag, on this element. */
  tap(target: Element): void;
  /** The area changed size (shown, or the panel resized). */
  resize(): void;
}

export class ScrollZoom {
  readonly area: HTMLElement;
  readonly scroller: HTMLElement;
  readonly svgEl: SVGSVGElement;
  /** The graph's group: the caller draws into it. */
  readonly content: SVGGElement;
  private readonly hint: HTMLElement;
  private scale = 1;
  private tx = PAD;
  private ty = PAD;
  /** The graph's extent in its own units (with the edges' curves), as of the last update. */
  private box = { x: 0, y: 0, width: 0, height: 0 };
  /** True from a fit until the user scrolls or zooms: resizes and new content fit again. */
  private fitted = false;
  /** Where this class last put the scroll position: a scroll elsewhere is the user's. */
  private placed = { left: 0, top: 0 };

  constructor(
    svgEl: SVGSVGElement,
    overlays: HTMLElement[],
    private readonly on: ScrollZoomEvents,
  ) {
    this.svgEl = svgEl;
    this.content = svg('g', { class: 'graph-viewport' });
    svgEl.append(this.content);
    this.scroller = el('div', { class: 'graph-scroll' }, svgEl);
    this.hint = el('div', { class: 'graph-hint', attrs: { 'aria-live': 'polite' } });
    this.hint.hidden = true;
    this.area = el('div', { class: 'graph-area' }, this.scroller, ...overlays, this.hint);
    this.scroller.addEventListener(
      'scroll',
      () => {
        // Wheel, scroll bar, drag, or the browser bringing a focused node into view.
        if (Math.abs(this.scroller.scrollLeft - this.placed.left) > 1 || Math.abs(this.scroller.scrollTop - this.placed.top) > 1) this.fitted = false;
        this.updateHint();
      },
      { passive: true },
    );
    new ResizeObserver(() => this.on.resize()).observe(this.area);
    this.wireInput();
  }

  /** Whether the view is as the last fit left it (the user has not panned or zoomed since). */
  get isFitted(): boolean {
    return this.fitted;
  }

  /** The area's size, or null while it is not laid out (a hidden tab). */
  viewSize(): { width: number; height: number } | null {
    const width = this.area.clientWidth;
    const height = this.area.clientHeight;
    return width > 0 && height > 0 ? { width, height } : null;
  }

  /**
   * Shows the whole graph if it fits at a readable scale (centred, no larger than MAX_FIT_SCALE),
   * else at READABLE_SCALE from its top left corner, where the layout puts what matters most.
   * False while the area is not laid out.
   */
  fit(): boolean {
    const view = this.viewSize();
    if (!view) return false;
    this.box = this.measure();
    const { width, height } = this.box;
    const s = Math.min(MAX_FIT_SCALE, (view.width - 2 * PAD) / Math.max(1, width), (view.height - 2 * PAD) / Math.max(1, height));
    this.scale = Math.max(READABLE_SCALE, s);
    this.resize();
    this.scrollTo(0, 0);
    this.fitted = true;
    this.updateHint();
    return true;
  }

  /** After the graph was redrawn or the area resized, at the same scale: the same graph point stays at the top left. */
  update(): void {
    const gx = (this.scroller.scrollLeft - this.tx) / this.scale;
    const gy = (this.scroller.scrollTop - this.ty) / this.scale;
    this.box = this.measure();
    this.resize();
    this.scrollTo(gx * this.scale + this.tx, gy * this.scale + this.ty);
    this.updateHint();
  }

  /** The graph's extent: its drawn geometry (curves included), not an estimate. */
  private measure(): { x: number; y: number; width: number; height: number } {
    if (!this.content.firstChild) return { x: 0, y: 0, width: 0, height: 0 };
    const b = this.content.getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  }

  /**
   * Sizes the SVG to the scaled graph plus padding, at least the visible area: a graph smaller than
   * the area is centred in it, a bigger one starts at the padding.
   */
  private resize(): void {
    const bw = this.box.width * this.scale;
    const bh = this.box.height * this.scale;
    // Twice: a scroll bar appearing (or going) changes the room the other way.
    for (let pass = 0; pass < 2; pass++) {
      const fitsW = bw + 2 * PAD <= this.scroller.clientWidth;
      const fitsH = bh + 2 * PAD <= this.scroller.clientHeight;
      const w = fitsW ? this.scroller.clientWidth : Math.ceil(bw + 2 * PAD);
      const h = fitsH ? this.scroller.clientHeight : Math.ceil(bh + PAD + HINT_ROOM);
      this.svgEl.setAttribute('width', String(w));
      this.svgEl.setAttribute('height', String(h));
      this.tx = (fitsW ? (w - bw) / 2 : PAD) - this.box.x * this.scale;
      this.ty = (fitsH ? (h - bh) / 2 : PAD) - this.box.y * this.scale;
    }
    this.content.setAttribute('transform', `translate(${this.tx},${this.ty}) scale(${this.scale})`);
  }

  /** Zooms by `factor` keeping the graph point under (mx, my) (px from the area's top left) in place. */
  zoomAt(factor: number, mx: number, my: number): void {
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    if (k === this.scale) return;
    const gx = (this.scroller.scrollLeft + mx - this.tx) / this.scale;
    const gy = (this.scroller.scrollTop + my - this.ty) / this.scale;
    this.scale = k;
    this.resize();
    this.scrollTo(gx * k + this.tx - mx, gy * k + this.ty - my);
    this.fitted = false;
    this.updateHint();
  }

  private scrollTo(left: number, top: number): void {
    this.scroller.scrollLeft = left;
    this.scroller.scrollTop = top;
    // As the browser clamped them.
    this.placed = { left: this.scroller.scrollLeft, top: this.scroller.scrollTop };
  }

  /** Says where the part of the graph out of view is, while some is. */
  private updateHint(): void {
    const s = this.scroller;
    const ways: string[] = [];
    if (s.scrollTop > 1) ways.push('above');
    if (s.scrollTop + s.clientHeight < s.scrollHeight - 1) ways.push('below');
    if (s.scrollLeft > 1) ways.push('to the left');
    if (s.scrollLeft + s.clientWidth < s.scrollWidth - 1) ways.push('to the right');
    const text = ways.length === 0 ? '' : `More ${ways.join(' and ')}: scroll or drag · Ctrl+wheel zooms`;
    if (this.hint.textContent !== text) this.hint.textContent = text;
    this.hint.hidden = text === '';
  }

  private wireInput(): void {
    const { scroller, svgEl } = this;
    scroller.addEventListener(
      'wheel',
      (e) => {
        // A plain wheel scrolls (the browser does it); with Ctrl (or a pinch), it zooms.
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        const r = scroller.getBoundingClientRect();
        this.zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
    let drag: { x: number; y: number; left: number; top: number; moved: boolean; id: number } | null = null;
    svgEl.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, left: scroller.scrollLeft, top: scroller.scrollTop, moved: false, id: e.pointerId };
    });
    svgEl.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
      if (!drag.moved) {
        drag.moved = true;
        svgEl.setPointerCapture(e.pointerId);
        svgEl.classList.add('dragging');
      }
      scroller.scrollLeft = drag.left - dx;
      scroller.scrollTop = drag.top - dy;
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const wasDrag = drag.moved;
      drag = null;
      svgEl.classList.remove('dragging');
      if (!wasDrag && e.type !== 'pointercancel' && e.target instanceof Element) this.on.tap(e.target);
    };
    svgEl.addEventListener('pointerup', end);
    svgEl.addEventListener('pointercancel', end);
  }
}
