/**
 * Which tasks are visible (the "hide finished" filter, the "only tasks suspended here" filter) and which siblings are identical (folded as
 * "× 500 worker"), kept up to date incrementally so that one task changing costs O(depth), not O(n).
 *
 * Each task has a shape: a hash of its own fold key (name pattern, state, what it awaits and where)
 * and of the multiset of its visible children's shapes (an order-independent sum), so two siblings
 * have equal shapes when their whole visible subtrees look alike. A child's visibility and shape
 * are its "contribution" to its container; when a contribution changes, the container's aggregates
 * change and the change propagates upwards. The index also says which containers' listings changed,
 * and nothing more: a shape change that cannot alter any folding leaves the listing alone.
 */
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import { isFinishedState } from '../../../runtime/src/protocol/describe';
import { namePattern } from '../../../runtime/src/protocol/forest';
import { isAtSite, type SiteFilter } from '../../../runtime/src/protocol/locations';
import { ROOT, type StoreChange, type TaskStore } from './taskStore';

/** Fewest identical siblings folded into one row (as the terminal inspector's foldForest does). */
export const FOLD_MIN = 2;

export interface FoldOptions {
  hideFinished: boolean;
  fold: boolean;
  /** Only tasks suspended at this site are shown (with their creators, which hold them). */
  site?: SiteFilter | null;
}

interface Contribution {
  container: number;
  visible: boolean;
  a: number;
  b: number;
  /** a and b combined in 53 bits: the key siblings are grouped by. */
  shape: number;
}

interface Info {
  /** Sums (mod 2^32) of the visible children's shape hashes, and how many there are. */
  sumA: number;
  sumB: number;
  visibleKids: number;
  /** What this task currently adds to its container (null before it was first counted). */
  given: Contribution | null;
}

export class FoldIndex {
  private readonly info = new Map<number, Info>();
  /** Container → shape → number of visible children with that shape. */
  private readonly counts = new Map<number, Map<number, number>>();
  /** Scratch for the contribution being computed (refreshes run one at a time; saves garbage at 100,000 tasks). */
  private readonly next: Contribution = { container: 0, visible: false, a: 0, b: 0, shape: 0 };

  constructor(
    private readonly store: TaskStore,
    public options: FoldOptions = { hideFinished: false, fold: true },
  ) {}

  /** Recomputes everything (after a snapshot or an option change). */
  rebuild(): void {
    this.info.clear();
    this.counts.clear();
    // Children before their creators: post-order over the hierarchy, iteratively (deep chains exist).
    const order: number[] = [];
    const stack: number[] = [...this.store.childrenOf(ROOT)];
    while (stack.length) {
      const id = stack.pop()!;
      order.push(id);
      for (const k of this.store.childrenOf(id)) stack.push(k);
    }
    // Every task's aggregates exist before its children add to them.
    for (const id of order) this.info.set(id, { sumA: 0, sumB: 0, visibleKids: 0, given: null });
    const sink = new Set<number>();
    for (let i = order.length - 1; i >= 0; i--) this.refreshOne(order[i]!, sink);
  }

  /** Applies a store change; returns the containers (ROOT or a task id) whose listing changed. */
  apply(change: StoreChange): Set<number> {
    const dirty = new Set<number>();
    if (change.reset) {
      this.rebuild();
      dirty.add(ROOT);
      return dirty;
    }
    for (const [id, { container }] of change.removed) {
      const info = this.info.get(id);
      this.info.delete(id);
      this.counts.delete(id);
      if (info?.given) this.withdraw(info.given, dirty, null);
      if (container !== ROOT) this.refresh(container, dirty);
    }
    for (const [id, from] of change.moved) {
      this.refresh(id, dirty);
      if (from !== ROOT) this.refresh(from, dirty); // the old creator lost a child
    }
    for (const id of change.changed.keys()) this.refresh(id, dirty);
    return dirty;
  }

  isVisible(id: number): boolean {
    return this.info.get(id)?.given?.visible ?? false;
  }

  /** How many children of this task are visible. */
  visibleChildren(id: number): number {
    return this.info.get(id)?.visibleKids ?? 0;
  }

  /** The task's shape (-1 when unknown). */
  shapeOf(id: number): number {
    return this.info.get(id)?.given?.shape ?? -1;
  }

  /** How many visible children of `container` have this shape. */
  countOf(container: number, shape: number): number {
    return this.counts.get(container)?.get(shape) ?? 0;
  }

  /** True when this task is shown inside a fold group rather than as its own row. */
  isFolded(id: number): boolean {
    const g = this.info.get(id)?.given;
    return !!g && g.visible && this.options.fold && this.countOf(g.container, g.shape) >= FOLD_MIN;
  }

  /** Whether a task passes the filters by itself (otherwise it is shown only to hold visible children). */
  private shownAlone(t: TaskRecord): boolean {
    if (this.options.hideFinished && isFinishedState(t.state)) return false;
    return !this.options.site || isAtSite(t, this.options.site);
  }

  /** Recomputes a task's contribution and, while contributions change, its ancestors'. */
  private refresh(id: number, dirty: Set<number>): void {
    for (let cur: number | null = id; cur !== null; ) cur = this.refreshOne(cur, dirty);
  }

  /** Recomputes one task; returns its container when that must be recomputed too, else null. */
  private refreshOne(id: number, dirty: Set<number>): number | null {
    const t = this.store.tasks.get(id);
    if (!t) return null;
    let info = this.info.get(id);
    if (!info) this.info.set(id, (info = { sumA: 0, sumB: 0, visibleKids: 0, given: null }));
    hashPair(foldKey(t));
    const next = this.next;
    next.a = mix(hashA, info.sumA, info.visibleKids);
    next.b = mix(hashB ^ 0x9e3779b9, info.sumB, info.visibleKids);
    next.shape = next.a * 0x200000 + (next.b >>> 11);
    next.container = this.store.containerOf(id);
    next.visible = this.shownAlone(t) || info.visibleKids > 0;
    const prev = info.given;
    if (prev && prev.container === next.container && prev.visible === next.visible && prev.shape === next.shape) return null;
    if (prev) this.withdraw(prev, dirty, next);
    this.give(next, dirty, prev);
    if (prev) Object.assign(prev, next);
    else info.given = { ...next };
    return next.container === ROOT ? null : next.container;
  }

  private withdraw(c: Contribution, dirty: Set<number>, next: Contribution | null): void {
    if (!c.visible) return; // a hidden task has no row: nothing to take away
    const counts = this.counts.get(c.container);
    const before = counts?.get(c.shape) ?? 0;
    if (counts) {
      if (before <= 1) counts.delete(c.shape);
      else counts.set(c.shape, before - 1);
    }
    const parent = this.info.get(c.container);
    if (parent) {
      parent.sumA = (parent.sumA - c.a) >>> 0;
      parent.sumB = (parent.sumB - c.b) >>> 0;
      parent.visibleKids--;
    }
    // The row list changes when the row disappears or moves, or when it left a fold group.
    const sameRowStays = next !== null && next.visible && next.container === c.container;
    if (!sameRowStays || (this.options.fold && before >= FOLD_MIN)) dirty.add(c.container);
  }

  private give(c: Contribution, dirty: Set<number>, prev: Contribution | null): void {
    if (!c.visible) return; // still no row
    let counts = this.counts.get(c.container);
    if (!counts) this.counts.set(c.container, (counts = new Map()));
    const after = (counts.get(c.shape) ?? 0) + 1;
    counts.set(c.shape, after);
    const parent = this.info.get(c.container);
    if (parent) {
      parent.sumA = (parent.sumA + c.a) >>> 0;
      parent.sumB = (parent.sumB + c.b) >>> 0;
      parent.visibleKids++;
    }
    const sameRowWas = prev !== null && prev.visible && prev.container === c.container;
    if (!sameRowWas || (this.options.fold && after >= FOLD_MIN)) dirty.add(c.container);
  }
}

/**
 * What must match for two tasks to fold together (their children are compared through the shape):
 * the same rule as forest.ts's foldForest, so the Tasks view and the terminal inspector fold alike —
 * name pattern, state, what is awaited (kind, and the resource for a Lock / Queue ... wait), and for
 * a failed task the error's name.
 */
export function foldKey(t: TaskRecord): string {
  const a = t.awaiting;
  const awaited = !a ? '' : 'resourceId' in a ? `${a.kind}@${a.resourceId}` : a.kind;
  const outcome = t.state === 'failed' ? (t.error?.name ?? '') : '';
  return `${namePattern(t.name)}\u0000${t.state}\u0000${awaited}\u0000${outcome}`;
}

let hashA = 0;
let hashB = 0;

/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative variant), into hashA and hashB. */
function hashPair(s: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
  }
  hashA = a >>> 0;
  hashB = b >>> 0;
}

/** Combines a node's own hash with its children's sum and count (avalanche so sums don't cancel). */
function mix(own: number, sum: number, count: number): number {
  let h = Math.imul(own ^ sum, 0x85ebca6b) ^ Math.imul(count + 1, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 16;
  return h >>> 0;
}
