/**
 * The model behind the Tasks view, the editor's await-site counts and the status bar, fed by the
 * adapter's `loopscope/snapshot` and `loopscope/delta` events. No `vscode` import: the views are
 * thin layers over it and everything here runs under plain vitest.
 *
 * Updates are coalesced (one `onDidUpdate` per interval at most) and precise: `tree` lists exactly
 * the rows the view already has whose rendering or children changed ('all' only when the top level
 * itself changed). While the view is hidden, tree changes are held back and delivered when it is
 * shown again; the editor and status bar parts are delivered regardless.
 */
import type { DeltaMessage, SlowStepMessage, SnapshotMessage } from '../../../runtime/src/protocol/wire';
import { SlowStepIndex } from './slowSteps';
import { AwaitSiteIndex } from './awaitSites';
import { Coalescer } from './coalescer';
import type { Findings } from './findings';
import { FoldIndex } from './foldIndex';
import { LocationIndex } from './locationIndex';
import type { SiteFilter } from '../../../runtime/src/protocol/locations';
import { isFinishedState } from '../../../runtime/src/protocol/describe';
import { StateCounter, type StateCounts } from './stateCounts';
import { TaskStore, type StoreChange } from './taskStore';
import { TreeChanges } from './treeChanges';
import { TreeListing, type ReadyQueue } from './treeListing';
import type { LocationNode, MoreNode, TaskNode, TreeNode } from './treeNodes';

export interface ModelOptions {
  /** Finished tasks kept after the runtime forgets them. */
  keepFinished?: number;
  /** Rows per page in a long list. */
  pageSize?: number;
  /** Least time between two updates (ms). */
  intervalMs?: number;
  hideFinished?: boolean;
  fold?: boolean;
}

/** How the Tasks view lists tasks: under their creators, or grouped by where they are suspended. */
export type GroupBy = 'creator' | 'location';

export interface ModelUpdate {
  /** Rows to refresh ('all': the whole tree); absent when the tree did not change or is hidden. */
  tree?: TreeNode[] | 'all';
  /** Files whose await-site counts changed. */
  files?: Set<string>;
  /** Counts per state, when they moved. */
  counts?: StateCounts;
  /** Task ids that changed or were removed since the last update (for findings, the panel...). */
  tasks?: Set<number>;
}

let generations = 0;

export class TaskTreeModel {
  /** Unique per model (per session): rows that must start afresh in each session use it in their id. */
  readonly generation = ++generations;
  readonly store: TaskStore;
  readonly fold: FoldIndex;
  readonly listing: TreeListing;
  readonly sites = new AwaitSiteIndex();
  readonly counter = new StateCounter();
  /** The session's slow task steps (rows say "slow step 150 ms"). */
  readonly slowSteps = new SlowStepIndex();
  /** The latest stuck tasks and await cycles (computed by the caller, at its own pace). */
  findings: Findings = { stuck: new Map(), cycles: [] };

  private visible = true;
  /** The location groups, kept only while grouping by location. */
  private locations: LocationIndex | null = null;
  private readonly coalescer: Coalescer;
  private readonly listeners = new Set<(u: ModelUpdate) => void>();

  // What changed since the last update.
  private readonly tree = new TreeChanges();
  private readonly dirtyFiles = new Set<string>();
  private countsMoved = false;
  private readonly touched = new Set<number>();

  constructor(options: ModelOptions = {}) {
    this.store = new TaskStore(options.keepFinished ?? 1000);
    this.fold = new FoldIndex(this.store, { hideFinished: options.hideFinished ?? false, fold: options.fold ?? true });
    this.listing = new TreeListing(this.store, this.fold, options.pageSize ?? 500);
    this.coalescer = new Coalescer(() => this.flush(), options.intervalMs ?? 100);
  }

  /** Subscribes to updates; returns the unsubscribe function. */
  onDidUpdate(listener: (u: ModelUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------ input

  applySnapshot(s: SnapshotMessage, wallNow = Date.now()): void {
    const change = this.store.applySnapshot(s, wallNow);
    this.listing.reset();
    this.absorb(change);
  }

  applyDelta(d: DeltaMessage, wallNow = Date.now()): void {
    const change = this.store.applyDelta(d, wallNow);
    if (change.changed.size || change.removed.size || change.moved.size || change.resourcesChanged) this.absorb(change);
  }

  /** The loop stopped or runs again (the ready section shows only while stopped). */
  setPaused(paused: boolean, wallNow = Date.now()): void {
    if (this.store.paused === paused) return;
    // Loop time stands still while paused, at the moment of the stop (the last message may be much
    // older when nothing changed for a while), and moves on from there once running again.
    this.store.time = this.store.loopNow(wallNow);
    this.store.receivedAt = wallNow;
    const hadReady = this.readyShown();
    this.store.paused = paused;
    if (!paused) this.listing.ready = null;
    if (hadReady !== this.readyShown()) this.markAll();
    this.request();
  }

  /** The ready queue at a stop (null: unknown / not paused). */
  setReadyQueue(q: ReadyQueue | null): void {
    const hadReady = this.readyShown();
    this.listing.ready = q;
    if (hadReady !== this.readyShown()) this.markAll();
    else if (this.readyShown()) this.tree.readySection = true;
    this.request();
  }

  setHideFinished(hide: boolean): void {
    if (this.fold.options.hideFinished === hide) return;
    this.fold.options.hideFinished = hide;
    if (this.locations) this.locations.options.hideFinished = hide;
    this.rebuildRows();
  }

  /** Lists tasks under their creators, or in groups by where they are suspended (largest first). */
  setGroupBy(groupBy: GroupBy): void {
    if (this.groupBy === groupBy) return;
    this.locations = groupBy === 'location' ? new LocationIndex(this.store, { hideFinished: this.hideFinished, site: this.siteFilter }) : null;
    this.listing.locations = this.locations;
    this.rebuildRows();
  }

  get groupBy(): GroupBy {
    return this.locations ? 'location' : 'creator';
  }

  /** Shows only the tasks suspended at one site (null: every task), in either mode. */
  setSiteFilter(site: SiteFilter | null): void {
    const before = this.fold.options.site ?? null;
    if (before === site || (before && site && before.file === site.file && before.line === site.line)) return;
    this.fold.options.site = site;
    if (this.locations) this.locations.options.site = site;
    this.rebuildRows();
  }

  get siteFilter(): SiteFilter | null {
    return this.fold.options.site ?? null;
  }

  setFold(fold: boolean): void {
    if (this.fold.options.fold === fold) return;
    this.fold.options.fold = fold;
    this.rebuildRows();
  }

  setSearch(text: string): void {
    const before = this.listing.search;
    this.listing.search = text;
    if (before === this.listing.search) return;
    this.markAll();
    this.request();
  }

  get search(): string {
    return this.listing.search;
  }

  get hideFinished(): boolean {
    return this.fold.options.hideFinished;
  }

  get folding(): boolean {
    return this.fold.options.fold;
  }

  showMore(node: MoreNode): void {
    this.listing.showMore(node);
    const owner = this.listing.parent(node);
    if (!owner) this.markAll();
    else if (owner.kind === 'task') this.tree.containers.add(owner.taskId);
    else if (owner.kind === 'location') this.tree.locations.add(owner);
    else this.markAll();
    this.request();
  }

  /** The view was shown or hidden: nothing is refreshed while hidden. */
  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible && this.tree.any) this.request();
  }

  /**
   * The row of a task, made ready for the view to reveal: pages along its path are widened and
   * those lists refreshed at once. Undefined when the task is not shown (filtered out, unknown).
   */
  prepareReveal(taskId: number): TaskNode | undefined {
    let widened = false;
    const node = this.listing.ensureListed(taskId, (owner) => {
      widened = true;
      if (!owner) this.markAll();
      else if (owner.kind === 'task') this.tree.containers.add(owner.taskId);
      else if (owner.kind === 'location') this.tree.locations.add(owner);
      else this.markAll(); // a group's members: its row is keyed by its creator's list
    });
    if (widened) this.flushNow();
    return node;
  }

  /** A slow step ('loopscope/slowStep'): the task's row is redrawn when it is its longest. */
  addSlowStep(m: SlowStepMessage): void {
    if (!this.slowSteps.add(m) || !this.store.tasks.has(m.taskId)) return;
    this.tree.tasks.add(m.taskId);
    this.request();
  }

  /** New findings: the rows of tasks that became or stopped being stuck are redrawn. */
  setFindings(findings: Findings): void {
    const before = this.findings.stuck;
    this.findings = findings;
    const redraw: number[] = [];
    for (const [id, s] of findings.stuck) if (before.get(id)?.text !== s.text) redraw.push(id);
    for (const id of before.keys()) if (!findings.stuck.has(id) && this.store.tasks.has(id)) redraw.push(id);
    for (const id of redraw) this.tree.tasks.add(id);
    if (redraw.length) this.request();
  }

  /**
   * Redraws the task rows the view has, while time moves: every row's tooltip says how long its task
   * has been in its state, and timers count down in descriptions. VS Code re-reads a row only when
   * told, so without this a stuck task said "suspended for 2.1 s" a minute later. Called once a
   * second; only rows the view was given, in one coalesced update, and none while the loop is
   * paused (its time stands still) or the view is hidden. Returns how many rows.
   */
  tickDurations(wallNow = Date.now()): number {
    if (!this.visible || this.store.loopNow(wallNow) === this.store.time) return 0;
    let n = 0;
    for (const key of this.listing.exposed) {
      if (key[0] !== 't' && key[0] !== 'r') continue;
      const id = Number(key.slice(1));
      if (!this.store.tasks.has(id)) continue;
      this.tree.tasks.add(id);
      n++;
    }
    if (n) this.request();
    return n;
  }

  /** Delivers pending changes now (tests; and the view when it must not wait). */
  flushNow(): void {
    this.coalescer.dispose();
    this.flush();
  }

  dispose(): void {
    this.coalescer.dispose();
    this.listeners.clear();
  }

  // ------------------------------------------------------------ tree

  children(node?: TreeNode): TreeNode[] {
    return this.listing.children(node);
  }

  parent(node: TreeNode): TreeNode | undefined {
    return this.listing.parent(node);
  }

  hasChildren(node: TreeNode): boolean {
    return this.listing.hasChildren(node);
  }

  // ------------------------------------------------------------ internals

  private readyShown(): boolean {
    return this.store.paused && this.listing.ready !== null;
  }

  private rebuildRows(): void {
    this.fold.rebuild();
    this.locations?.rebuild();
    this.markAll();
    this.request();
  }

  private markAll(): void {
    this.tree.all = true;
  }

  private request(): void {
    this.coalescer.request();
  }

  private absorb(change: StoreChange): void {
    const containers = this.fold.apply(change);
    if (this.locations) {
      const moved = this.locations.apply(change);
      if (moved.list) this.markAll();
      for (const g of moved.groups) this.tree.locations.add(g);
      // A group's words name the resource its tasks wait on, and its state ("(empty)").
      if (change.resourcesChanged) for (const g of this.locations.groups()) if (this.waitsOnResource(g)) this.tree.locations.add(g);
    }
    for (const f of this.sites.apply(change, this.store)) this.dirtyFiles.add(f);
    if (this.counter.apply(change, this.store)) this.countsMoved = true;
    if (change.reset) {
      this.markAll();
      for (const id of this.store.tasks.keys()) this.touched.add(id);
    }
    // Grouped by location, the creator tree's rows are not shown: its changes are not the view's.
    if (!this.locations) for (const c of containers) this.tree.container(c);
    for (const id of change.removed.keys()) {
      this.listing.forget(id);
      this.tree.tasks.delete(id);
      this.touched.add(id);
    }
    for (const id of change.changed.keys()) {
      this.tree.tasks.add(id);
      this.touched.add(id);
    }
    if (this.listing.search && !this.tree.all) this.checkSearchRows(change);
    if (this.readyShown() && this.listing.ready?.taskIds.some((id) => change.removed.has(id))) this.tree.readySection = true;
    this.request();
  }

  private waitsOnResource(g: LocationNode): boolean {
    const first = g.members.values().next();
    const a = first.done ? undefined : this.store.tasks.get(first.value)?.awaiting;
    return !!a && 'resourceId' in a;
  }

  /** Search results are a flat top-level list: it changes when a matching row appears or goes. */
  private checkSearchRows(change: StoreChange): void {
    for (const { record } of change.removed.values()) if (this.listing.matches(record)) return this.markAll();
    for (const [id, prev] of change.changed) {
      const t = this.store.tasks.get(id)!;
      if (!this.listing.matches(t) && !(prev && this.listing.matches(prev))) continue;
      if (!prev || prev.name !== t.name) return this.markAll();
      if (this.fold.options.hideFinished && isFinishedState(prev.state) !== isFinishedState(t.state)) return this.markAll();
    }
  }

  private flush(): void {
    const update: ModelUpdate = {};
    if (this.visible && this.tree.any) update.tree = this.tree.take(this.listing, this.store);
    if (this.dirtyFiles.size) {
      update.files = new Set(this.dirtyFiles);
      this.dirtyFiles.clear();
    }
    if (this.countsMoved) {
      update.counts = { ...this.counter.counts };
      this.countsMoved = false;
    }
    if (this.touched.size) {
      update.tasks = new Set(this.touched);
      this.touched.clear();
    }
    if (update.tree === undefined && !update.files && !update.counts && !update.tasks) return;
    for (const l of this.listeners) l(update);
  }
}
