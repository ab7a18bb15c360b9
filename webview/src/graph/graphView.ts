/**
 * The await graph view: an SVG built with DOM calls (names set as text, never parsed), laid out by
 * layout.ts in columns, or in rows when the panel is too narrow for columns (direction.ts). Cycle
 * edges and their tasks are red, stuck tasks amber; clicking a task selects it and reveals its
 * suspension site in the editor. It is shown at a readable scale in a scrolling area
 * (scrollZoom.ts: wheel and drag scroll, Ctrl+wheel zooms). Until the user scrolls or zooms, new
 * content and a resized panel are laid out and fitted again; "Fit" starts that over.
 *
 * Rebuilt from the model only while shown, and while the program runs at most every REBUILD_MS or
 * four times as long as the last rebuild took, whichever is longer (a 100,000-task program takes a
 * good fraction of a second to analyse: the panel must stay responsive between rebuilds).
 */
import type { InspectorModel } from '../model/inspectorModel';
import type { Actions } from '../ui/actions';
import { clear, el, icon, svg } from '../ui/dom';
import { frameText, truncate } from '../ui/text';
import { buildAwaitGraph, type AwaitGraph, type GraphNode } from './awaitGraph';
import { chooseLayout, type FitLimits } from './direction';
import { edgePath } from './edgePath';
import { DEFAULT_LAYOUT, layoutGraph, type Layout, type LayoutOptions } from './layout';
import { PAD, READABLE_SCALE, ScrollZoom } from './scrollZoom';

const REBUILD_MS = 250;
const LIMITS: FitLimits = { readable: READABLE_SCALE, max: 1.25, pad: PAD };

export class GraphView {
  readonly root: HTMLElement;
  private readonly svgEl: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly view: ScrollZoom;
  private readonly filterInput: HTMLInputElement;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly cancelButton: HTMLButtonElement;
  private graph: AwaitGraph | null = null;
  private layout: Layout | null = null;
  /** How `layout` was made: the direction stays until the next fit. */
  private layoutOptions: LayoutOptions = DEFAULT_LAYOUT;
  private nodeEls = new Map<string, SVGGElement>();
  /** Folded nodes: the task ids each stands for. */
  private foldedIds = new Map<string, Set<number>>();
  private edgeEls: { el: SVGPathElement; from: string; to: string }[] = [];
  private visible = false;
  private dirty = true;
  private lastBuild = 0;
  private lastBuildCost = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Fit on the next build (first content, or after "Fit"). */
  private fitPending = true;

  constructor(
    private readonly model: InspectorModel,
    private readonly actions: Actions,
    filter: string,
  ) {
    this.filterInput = el('input', { class: 'filter', attrs: { type: 'search', placeholder: 'Filter tasks by name', 'aria-label': 'Filter tasks by name' } });
    this.filterInput.value = filter;
    this.filterInput.addEventListener('input', () => {
      this.fitPending = true;
      this.invalidate(true);
      this.actions.stateChanged();
    });
    const fit = el('button', { class: 'icon-button', attrs: { title: 'Fit the graph to the view (as far as its text stays readable)', 'aria-label': 'Fit' } }, icon('screen-full'));
    fit.addEventListener('click', () => {
      this.fitPending = true;
      this.invalidate(true);
    });
    this.cancelButton = el('button', { class: 'icon-button', attrs: { title: 'Cancel the selected task', 'aria-label': 'Cancel the selected task' } }, icon('circle-slash'));
    this.cancelButton.addEventListener('click', () => {
      const id = this.model.selectedTaskId;
      if (id !== null && this.isLive(id)) this.actions.cancelTask(id);
    });
    this.summary = el('span', { class: 'summary' });
    this.status = el('span', { class: 'status-text', attrs: { role: 'status' } });
    const toolbar = el('div', { class: 'toolbar' }, icon('filter'), this.filterInput, fit, this.cancelButton, this.summary, this.status);

    this.svgEl = svg('svg', { class: 'graph-canvas', attrs: { role: 'img', 'aria-label': 'Await graph' } });
    this.svgEl.append(this.markers());
    this.empty = el('div', { class: 'empty-note', text: 'No tasks yet.' });
    this.view = new ScrollZoom(this.svgEl, [this.empty], {
      tap: (target) => {
        const g = target.closest('g.node');
        if (g instanceof SVGGElement) this.activate(g);
      },
      resize: () => this.resized(),
    });
    this.viewport = this.view.content;
    this.root = el('section', { class: 'view graph-view', attrs: { 'aria-label': 'Await graph' } }, toolbar, this.view.area);
    this.svgEl.addEventListener('keydown', (e) => {
      const g = (e.target as Element).closest?.('g.node');
      if ((e.key === 'Enter' || e.key === ' ') && g instanceof SVGGElement) {
        e.preventDefault();
        this.activate(g);
      }
    });

    model.onChange((c) => {
      if (c.reset || c.tasks) {
        if (c.reset) this.fitPending = true;
        this.invalidate(false);
      }
      if (c.selection || c.status) this.paintSelection();
    });
  }

  get filter(): string {
    return this.filterInput.value;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.invalidate(true);
  }

  /** Schedules a rebuild; `now` skips the live-update throttle (user actions). */
  private invalidate(now: boolean): void {
    this.dirty = true;
    if (!this.visible || this.timer !== null) return;
    const wait = now ? 0 : Math.max(0, this.lastBuild + Math.max(REBUILD_MS, 4 * this.lastBuildCost) - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.visible && this.dirty) this.build();
    }, wait);
  }

  private build(): void {
    this.dirty = false;
    this.lastBuild = performance.now();
    this.graph = buildAwaitGraph(this.model, { filter: this.filterInput.value });
    // Until the user scrolls or zooms, new content is fitted too (a graph that grows from one task
    // to a deadlock while the program runs gets the layout the panel needs for it).
    this.layOut((this.fitPending || this.view.isFitted) && this.graph.nodes.length > 0);
    this.lastBuildCost = performance.now() - this.lastBuild;
    this.svgEl.dataset.buildMs = this.lastBuildCost.toFixed(1);
  }

  /**
   * Lays the graph out and draws it. `fit`: first choose the direction for the area's shape, then
   * fit the view to the drawing (while the area has no size, the fit waits for the next build or
   * resize); otherwise keep the direction and what the view shows.
   */
  private layOut(fit: boolean): void {
    const graph = this.graph!;
    const size = fit ? this.view.viewSize() : null;
    const chosen = size ? chooseLayout(this.layoutInput(graph), size, LIMITS) : null;
    if (chosen) this.layoutOptions = chosen.options;
    this.layout = chosen?.layout ?? layoutGraph(this.layoutInput(graph), this.layoutOptions);
    this.render(graph, this.layout);
    if (fit) this.fitPending = !this.view.fit();
    else this.view.update();
    this.svgEl.dataset.direction = this.layoutOptions.direction;
  }

  private layoutInput(graph: AwaitGraph) {
    return { keys: graph.nodes.map((n) => n.key), edges: graph.edges };
  }

  /**
   * The area changed size: unless the user has moved the view since the last fit, fit again, and
   * lay out again if the new shape calls for another layout (only then: redrawing would drop the
   * keyboard focus from the node that has it, and the status line a click adds resizes the area).
   */
  private resized(): void {
    if (!this.visible || !this.graph) return;
    const size = this.view.viewSize();
    if (!size || this.graph.nodes.length === 0) return;
    if (!this.fitPending && !this.view.isFitted) return this.view.update();
    const chosen = chooseLayout(this.layoutInput(this.graph), size, LIMITS);
    if (!sameOptions(chosen.options, this.layoutOptions)) return this.layOut(true);
    this.fitPending = !this.view.fit();
  }

  private render(graph: AwaitGraph, layout: Layout): void {
    clear(this.viewport);
    this.nodeEls.clear();
    this.foldedIds.clear();
    this.edgeEls = [];
    let tasks = 0;
    for (const n of graph.nodes) if (n.kind === 'task') tasks += n.count;
    const cycleText = graph.cycles.length === 0 ? '' : ` · ${graph.cycles.length} await cycle${graph.cycles.length > 1 ? 's' : ''}`;
    const resources = graph.nodes.filter((n) => n.kind === 'resource').length;
    const num = (n: number) => n.toLocaleString('en-US');
    this.summary.textContent = `${num(tasks)} task${tasks === 1 ? '' : 's'}, ${num(resources)} resource${resources === 1 ? '' : 's'}${cycleText}${graph.hidden ? ` · ${num(graph.hidden)} not shown` : ''}`;
    this.summary.classList.toggle('has-cycle', graph.cycles.length > 0);
    this.empty.textContent = this.filterInput.value.trim() ? 'No task matches the filter.' : this.model.status === 'waiting' ? 'Waiting for a Loopscope debug session…' : 'No unfinished tasks.';
    this.empty.hidden = graph.nodes.length > 0;

    const edgeLayer = svg('g', { class: 'edges' });
    const nodeLayer = svg('g', { class: 'nodes' });
    const { nodeWidth: w, nodeHeight: h, direction } = this.layoutOptions;
    const down = direction === 'down';
    graph.edges.forEach((e, i) => {
      const a = layout.pos.get(e.from)!;
      const b = layout.pos.get(e.to)!;
      const backward = down ? b.y <= a.y : b.x <= a.x;
      const route = layout.back.has(i) || backward ? 'back' : layout.long.has(i) ? 'arch' : 'plain';
      const path = svg('path', {
        class: `edge ${e.kind}${e.onCycle ? ' on-cycle' : ''}${route === 'back' ? ' back' : ''}`,
        attrs: { d: edgePath(a, b, { w, h }, direction, route), 'marker-end': `url(#${e.onCycle ? 'arrow-cycle' : 'arrow'})`, 'data-from': e.from, 'data-to': e.to },
      });
      path.append(svg('title', { text: `${this.labelOf(e.from)} ${e.kind === 'holds' ? 'is held by' : e.kind === 'waits' ? 'waits on' : 'awaits'} ${this.labelOf(e.to)}${e.onCycle ? ' (await cycle)' : ''}` }));
      edgeLayer.append(path);
      this.edgeEls.push({ el: path, from: e.from, to: e.to });
    });
    for (const n of graph.nodes) {
      const p = layout.pos.get(n.key)!;
      const g = this.nodeElement(n, p.x - w / 2, p.y - h / 2, w, h);
      nodeLayer.append(g);
      this.nodeEls.set(n.key, g);
      if (n.ids) this.foldedIds.set(n.key, new Set(n.ids));
    }
    this.viewport.append(edgeLayer, nodeLayer);
    this.paintSelection();
  }

  private labelOf(key: string): string {
    return this.graph?.nodes.find((n) => n.key === key)?.label ?? key;
  }

  private nodeElement(n: GraphNode, x: number, y: number, w: number, h: number): SVGGElement {
    const classes = ['node', n.kind, `state-${n.state.replace(/[^a-z.-]/gi, '')}`];
    if (n.onCycle) classes.push('on-cycle');
    if (n.stuck) classes.push('stuck');
    if (n.count > 1) classes.push('folded');
    const head =
      n.kind === 'resource'
        ? `${n.state} ${n.label}`
        : n.count > 1
          ? `${n.count.toLocaleString('en-US')} tasks like ${this.model.nameOf(n.id)} #${n.id} (${n.state})`
          : `${n.label} #${n.id} (${n.state})`;
    const title = [head, n.detail];
    if (n.stuck) title.push(`Stuck: ${n.stuck}`);
    if (n.frame) title.push(`${n.frameIs === 'suspension' ? 'Suspended at' : 'Created at'} ${frameText(n.frame)} (click to open)`);
    const g = svg('g', {
      class: classes.join(' '),
      attrs: { transform: `translate(${x},${y})`, 'data-key': n.key, tabindex: '0', role: 'button', 'aria-label': title.join('. ') },
    });
    if (n.kind === 'task') g.dataset.taskId = String(n.id);
    g.append(
      svg('title', { text: title.join('\n') }),
      svg('rect', { class: 'node-box', attrs: { width: String(w), height: String(h), rx: n.kind === 'resource' ? '12' : '4' } }),
      svg('circle', { class: 'state-dot', attrs: { cx: '12', cy: '15', r: '4' } }),
      svg('text', { class: 'node-label', attrs: { x: '22', y: '19' }, text: truncate(n.kind === 'resource' ? `${n.state} ${n.label}` : n.label, 26) }),
      svg('text', { class: 'node-detail', attrs: { x: '10', y: '36' }, text: truncate(n.stuck ? `⚠ ${n.detail}` : n.detail, 34) }),
    );
    return g;
  }

  private isLive(taskId: number): boolean {
    const state = this.model.tasks.get(taskId)?.state;
    return state !== undefined && state !== 'done' && state !== 'failed' && state !== 'cancelled';
  }

  private paintSelection(): void {
    const sel = this.model.selectedTaskId;
    this.cancelButton.disabled = sel === null || !this.isLive(sel) || this.model.status === 'ended';
    // The selected task's node: its own, or the folded node standing for it.
    let key = sel === null ? null : `t:${sel}`;
    if (key !== null && !this.nodeEls.has(key)) for (const [k, ids] of this.foldedIds) if (ids.has(sel!)) key = k;
    for (const [k, g] of this.nodeEls) g.classList.toggle('selected', k === key);
    for (const e of this.edgeEls) e.el.classList.toggle('related', key !== null && (e.from === key || e.to === key));
  }

  private activate(g: SVGGElement): void {
    const key = g.dataset.key!;
    const node = this.graph?.nodes.find((n) => n.key === key);
    if (!node || node.kind !== 'task') {
      this.status.textContent = node ? `${node.state} ${node.label}: ${node.detail}` : '';
      return;
    }
    this.actions.selectTask(node.id);
    const who = node.count > 1 ? `${node.label}: ${this.model.nameOf(node.id)}` : node.label;
    if (node.frame) {
      this.actions.reveal(node.frame);
      this.status.textContent = `${who}: opened ${frameText(node.frame)} (${node.frameIs === 'suspension' ? 'where it is suspended' : 'where it was created'})`;
    } else this.status.textContent = `${who}: no source location known`;
  }

  private markers(): SVGDefsElement {
    const defs = svg('defs');
    for (const id of ['arrow', 'arrow-cycle']) {
      const m = svg('marker', { attrs: { id, viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' } });
      m.append(svg('path', { class: id, attrs: { d: 'M 0 0 L 10 5 L 0 10 z' } }));
      defs.append(m);
    }
    return defs;
  }
}

function sameOptions(a: LayoutOptions, b: LayoutOptions): boolean {
  return (Object.keys(a) as (keyof LayoutOptions)[]).every((k) => a[k] === b[k]);
}
