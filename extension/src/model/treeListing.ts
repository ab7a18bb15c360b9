/**
 * The rows of the Tasks tree, computed on demand (VS Code asks only for expanded elements): a
 * creator's visible children with identical siblings folded into groups — or, grouped by location,
 * the location groups largest first, each with its tasks — long lists paged, search results as a
 * flat list, and the ready queue while paused. It also remembers which rows the view
 * has been given ("exposed"), so that a change is reported only for rows the view knows.
 */
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import type { FoldIndex } from './foldIndex';
import type { LocationIndex } from './locationIndex';
import { namePattern } from '../../../runtime/src/protocol/forest';
import { ROOT, type TaskStore } from './taskStore';
import {
  groupKey,
  listKey,
  moreKey,
  readyKey,
  taskKey,
  type GroupNode,
  type LocationNode,
  type MoreNode,
  type ReadyItemNode,
  type ReadySectionNode,
  type TaskNode,
  type TreeNode,
} from './treeNodes';

export interface ReadyQueue {
  taskIds: number[];
  callbacks: number;
}

export class TreeListing {
  private readonly taskNodes = new Map<number, TaskNode>();
  private readonly readyNodes = new Map<number, ReadyItemNode>();
  private readonly groups = new Map<number, Map<string, GroupNode>>();
  private readonly moreNodes = new Map<string, MoreNode>();
  private readonly limits = new Map<string, number>();
  private readonly readySection: ReadySectionNode = { kind: 'readySection', key: 'ready', count: 0, callbacks: 0 };
  /** Keys of rows handed to the view since the last full refresh. */
  readonly exposed = new Set<string>();
  private searchLower = '';
  ready: ReadyQueue | null = null;
  /** The location groups while grouping by location; null: the creator tree. */
  locations: LocationIndex | null = null;

  constructor(
    private readonly store: TaskStore,
    private readonly fold: FoldIndex,
    public pageSize = 500,
  ) {}

  get search(): string {
    return this.searchLower;
  }

  set search(text: string) {
    this.searchLower = text.trim().toLowerCase();
  }

  /** The rows under `node` (the top level when undefined). */
  children(node?: TreeNode): TreeNode[] {
    const rows = this.compute(node);
    for (const r of rows) this.exposed.add(r.key);
    return rows;
  }

  /** The row `node` is listed under (undefined: the top level), as VS Code's getParent needs. */
  parent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'task': {
        // Search results are a flat top-level list (a task must not be listed twice).
        if (this.searchLower || !this.store.tasks.has(node.taskId)) return undefined;
        if (this.locations) return this.locations.groupOf(node.taskId);
        const c = this.store.containerOf(node.taskId);
        if (this.fold.isFolded(node.taskId)) return this.groupNode(c, this.fold.shapeOf(node.taskId), node.taskId, 0);
        return c === ROOT ? undefined : this.taskNode(c);
      }
      case 'group':
        return node.container === ROOT ? undefined : this.taskNode(node.container);
      case 'location':
        return undefined;
      case 'more':
        return this.listOwner(node.list);
      case 'readyItem':
        return this.readySection;
      case 'readySection':
        return undefined;
    }
  }

  /** Whether a row can be expanded (without listing its children). */
  hasChildren(node: TreeNode): boolean {
    switch (node.kind) {
      case 'task':
        // Grouped by location, a task's row stands alone: its children are in their own groups.
        return !this.searchLower && !this.locations && this.fold.visibleChildren(node.taskId) > 0;
      case 'group':
        return true;
      case 'location':
        return node.members.size > 0;
      case 'readySection':
        return (this.ready?.taskIds.length ?? 0) > 0;
      default:
        return false;
    }
  }

  taskNode(id: number): TaskNode {
    let n = this.taskNodes.get(id);
    if (!n) this.taskNodes.set(id, (n = { kind: 'task', key: taskKey(id), taskId: id }));
    return n;
  }

  readyNode(id: number): ReadyItemNode | undefined {
    return this.readyNodes.get(id);
  }

  readySectionNode(): ReadySectionNode {
    return this.readySection;
  }

  /** Shows one more page of the list a "more" row ends. */
  showMore(node: MoreNode): void {
    this.limits.set(node.list, (this.limits.get(node.list) ?? this.pageSize) + this.pageSize);
  }

  /**
   * Makes sure the task is listed (widening pages along its path) and returns its row, or
   * undefined when it is hidden (filtered out or not in the store). `widened` receives the rows
   * whose children lists grew (undefined: the top level), which the view must re-read.
   */
  ensureListed(taskId: number, widened: (owner: TreeNode | undefined) => void = () => {}): TaskNode | undefined {
    if (!this.store.tasks.has(taskId) || !this.fold.isVisible(taskId)) return undefined;
    let node: TreeNode = this.taskNode(taskId);
    for (let guard = 0; guard < 10_000; guard++) {
      const parent = this.parent(node);
      const rows = this.allRows(parent);
      const at = rows.findIndex((r) => r.key === node.key);
      if (at < 0) return undefined;
      const list = this.listOf(parent);
      if (at >= (this.limits.get(list) ?? this.pageSize)) {
        this.limits.set(list, Math.ceil((at + 1) / this.pageSize) * this.pageSize);
        widened(parent);
      }
      if (!parent) break;
      node = parent;
    }
    return this.taskNode(taskId);
  }

  /** Forgets a removed task's rows and the state of its lists. */
  forget(id: number): void {
    this.taskNodes.delete(id);
    this.readyNodes.delete(id);
    this.groups.delete(id);
    this.limits.delete(listKey.container(id));
    this.moreNodes.delete(moreKey(listKey.container(id)));
    this.exposed.delete(taskKey(id));
    this.exposed.delete(readyKey(id));
  }

  /** After a full refresh the view knows only what it asks for again. */
  resetExposure(): void {
    this.exposed.clear();
  }

  /** Forgets everything (a new snapshot). */
  reset(): void {
    this.taskNodes.clear();
    this.readyNodes.clear();
    this.groups.clear();
    this.moreNodes.clear();
    this.limits.clear();
    this.exposed.clear();
  }

  matches(t: TaskRecord): boolean {
    return t.name.toLowerCase().includes(this.searchLower);
  }

  private compute(node: TreeNode | undefined): TreeNode[] {
    if (node?.kind === 'location') return this.memberPage(node);
    const rows = this.allRows(node);
    return this.page(rows, this.listOf(node));
  }

  private allRows(node: TreeNode | undefined): TreeNode[] {
    if (!node) {
      const top: TreeNode[] = this.showReady() ? [this.readySectionNode()] : [];
      if (this.searchLower) return top.concat(this.searchResults());
      if (this.locations) return top.concat(this.locations.groups());
      return top.concat(this.containerRows(ROOT));
    }
    switch (node.kind) {
      case 'task':
        return this.searchLower || this.locations ? [] : this.containerRows(node.taskId);
      case 'group':
        return this.groupMembers(node);
      case 'location':
        return [...node.members].map((id) => this.taskNode(id));
      case 'readySection':
        return this.readyRows();
      default:
        return [];
    }
  }

  /** The list a node's children belong to (for paging). */
  private listOf(node: TreeNode | undefined): string {
    if (!node) return this.searchLower ? listKey.search : listKey.container(ROOT);
    if (node.kind === 'task') return listKey.container(node.taskId);
    if (node.kind === 'group') return listKey.group(node.key);
    return node.key; // a location group's list is keyed by its row
  }

  private listOwner(list: string): TreeNode | undefined {
    if (list === listKey.search) return undefined;
    if (list.startsWith('l')) return this.locations?.byRowKey(list);
    if (list.startsWith('c')) {
      const id = Number(list.slice(1));
      return id === ROOT ? undefined : this.taskNode(id);
    }
    const container = Number(list.slice(1, list.indexOf(':')));
    return this.groups.get(container)?.get(list);
  }

  private showReady(): boolean {
    return this.store.paused && this.ready !== null;
  }

  private containerRows(container: number): TreeNode[] {
    const rows: TreeNode[] = [];
    const previous = this.groups.get(container);
    const listed = new Map<string, GroupNode>();
    for (const id of this.store.childrenOf(container)) {
      if (!this.fold.isVisible(id)) continue;
      if (!this.fold.isFolded(id)) {
        rows.push(this.taskNode(id));
        continue;
      }
      const shape = this.fold.shapeOf(id);
      const key = groupKey(container, shape);
      if (listed.has(key)) continue;
      const g = previous?.get(key) ?? this.makeGroup(container, shape, key);
      g.count = this.fold.countOf(container, shape);
      g.sampleId = id;
      g.label = namePattern(this.store.tasks.get(id)!.name);
      listed.set(key, g);
      rows.push(g);
    }
    if (listed.size) this.groups.set(container, listed);
    else this.groups.delete(container);
    return rows;
  }

  private groupNode(container: number, shape: number, sampleId: number, count: number): GroupNode {
    const key = groupKey(container, shape);
    let byKey = this.groups.get(container);
    let g = byKey?.get(key);
    if (!g) {
      g = this.makeGroup(container, shape, key);
      g.sampleId = sampleId;
      g.count = count || this.fold.countOf(container, shape);
      g.label = namePattern(this.store.tasks.get(sampleId)?.name ?? '');
      if (!byKey) this.groups.set(container, (byKey = new Map()));
      byKey.set(key, g);
    }
    return g;
  }

  private makeGroup(container: number, shape: number, key: string): GroupNode {
    return { kind: 'group', key, container, shape, count: 0, sampleId: 0, label: '' };
  }

  private groupMembers(g: GroupNode): TreeNode[] {
    const rows: TreeNode[] = [];
    for (const id of this.store.childrenOf(g.container)) {
      if (this.fold.isVisible(id) && this.fold.shapeOf(id) === g.shape) rows.push(this.taskNode(id));
    }
    return rows;
  }

  /**
   * A location group's first page of tasks, without listing the rest: a group may hold 100,000
   * tasks and is re-listed each time its count changes.
   */
  private memberPage(g: LocationNode): TreeNode[] {
    const limit = this.limits.get(g.key) ?? this.pageSize;
    const rows: TreeNode[] = [];
    for (const id of g.members) {
      if (rows.length >= limit) break;
      rows.push(this.taskNode(id));
    }
    if (g.members.size <= limit) return rows;
    const key = moreKey(g.key);
    let more = this.moreNodes.get(key);
    if (!more) this.moreNodes.set(key, (more = { kind: 'more', key, list: g.key, hidden: 0 }));
    more.hidden = g.members.size - limit;
    rows.push(more);
    return rows;
  }

  private searchResults(): TreeNode[] {
    const rows: TreeNode[] = [];
    for (const t of this.store.tasks.values()) {
      if (this.fold.isVisible(t.id) && this.matches(t)) rows.push(this.taskNode(t.id));
    }
    return rows;
  }

  private readyRows(): TreeNode[] {
    const rows: TreeNode[] = [];
    const ids = this.ready?.taskIds ?? [];
    const keep = new Set<number>();
    ids.forEach((id, i) => {
      if (!this.store.tasks.has(id)) return;
      let n = this.readyNodes.get(id);
      if (!n) this.readyNodes.set(id, (n = { kind: 'readyItem', key: readyKey(id), taskId: id, position: 0 }));
      n.position = i + 1;
      keep.add(id);
      rows.push(n);
    });
    for (const id of this.readyNodes.keys()) if (!keep.has(id)) this.readyNodes.delete(id);
    return rows;
  }

  /** Updates the ready section's counts; true when its row must be redrawn. */
  syncReadySection(): boolean {
    const count = this.ready?.taskIds.length ?? 0;
    const callbacks = this.ready?.callbacks ?? 0;
    const changed = count !== this.readySection.count || callbacks !== this.readySection.callbacks;
    this.readySection.count = count;
    this.readySection.callbacks = callbacks;
    return changed;
  }

  private page(rows: TreeNode[], list: string): TreeNode[] {
    const limit = this.limits.get(list) ?? this.pageSize;
    if (rows.length <= limit) return rows;
    const key = moreKey(list);
    let more = this.moreNodes.get(key);
    if (!more) this.moreNodes.set(key, (more = { kind: 'more', key, list, hidden: 0 }));
    more.hidden = rows.length - limit;
    const shown = rows.slice(0, limit);
    shown.push(more);
    return shown;
  }
}
