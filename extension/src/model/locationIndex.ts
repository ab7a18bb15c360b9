/**
 * The "Group by Location" mode's groups, kept up to date incrementally: a task that moves from one
 * await site to another leaves one group and joins the other, O(1), and only those two groups'
 * rows change. The list of groups (largest first) is re-sorted only when some count moved, and
 * costs O(groups), which is the number of distinct await sites in the program, not of tasks.
 */
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import { isFinishedState } from '../../../runtime/src/protocol/describe';
import { compareGroups, isAtSite, locationKey, type SiteFilter } from '../../../runtime/src/protocol/locations';
import type { StoreChange, TaskStore } from './taskStore';
import { locationRowKey, type LocationNode } from './treeNodes';

export interface LocationOptions {
  hideFinished: boolean;
  /** Only tasks suspended at this site. */
  site: SiteFilter | null;
}

/** What an update changed: rows whose count or members changed, and whether the list of groups did. */
export interface LocationChanges {
  groups: Set<LocationNode>;
  list: boolean;
}

export class LocationIndex {
  /** Grouping key (locations.ts's locationKey) → its group. */
  private readonly byKey = new Map<string, LocationNode>();
  private readonly rowKeys = new Map<string, LocationNode>();
  private readonly groupOfTask = new Map<number, { key: string; node: LocationNode }>();
  /** The groups in the order last listed. */
  private order: LocationNode[] = [];

  constructor(
    private readonly store: TaskStore,
    public options: LocationOptions,
  ) {}

  /** Recomputes every group (a snapshot, an option change, the mode turned on). */
  rebuild(): void {
    this.byKey.clear();
    this.rowKeys.clear();
    this.groupOfTask.clear();
    const sink = new Set<LocationNode>();
    for (const t of this.store.tasks.values()) this.place(t, sink);
    this.order = this.sorted();
  }

  /** Applies a store change (after the store took it). */
  apply(change: StoreChange): LocationChanges {
    const out: LocationChanges = { groups: new Set(), list: false };
    if (change.reset) {
      this.rebuild();
      out.list = true;
      return out;
    }
    for (const id of change.removed.keys()) this.unplace(id, out.groups);
    for (const id of change.changed.keys()) {
      const t = this.store.tasks.get(id);
      if (!t) continue;
      const key = this.included(t) ? locationKey(t) : null;
      if (this.groupOfTask.get(id)?.key === key) continue; // same group: only the task's own row changed
      this.unplace(id, out.groups);
      if (key !== null) this.place(t, out.groups, key);
    }
    if (out.groups.size) {
      // Counts moved: the order may have too (or a group appeared or emptied).
      const next = this.sorted();
      out.list = next.length !== this.order.length || next.some((g, i) => g !== this.order[i]);
      this.order = next;
    }
    return out;
  }

  /** The groups, largest first, finished ones last. */
  groups(): readonly LocationNode[] {
    return this.order;
  }

  /** The group a task is listed in (undefined: filtered out). */
  groupOf(id: number): LocationNode | undefined {
    return this.groupOfTask.get(id)?.node;
  }

  /** A group by its row key (a paged list's owner). */
  byRowKey(key: string): LocationNode | undefined {
    return this.rowKeys.get(key);
  }

  private included(t: TaskRecord): boolean {
    if (this.options.hideFinished && isFinishedState(t.state)) return false;
    return !this.options.site || isAtSite(t, this.options.site);
  }

  private place(t: TaskRecord, changed: Set<LocationNode>, key: string | null = this.included(t) ? locationKey(t) : null): void {
    if (key === null) return;
    let node = this.byKey.get(key);
    if (!node) {
      node = { kind: 'location', key: locationRowKey(key), members: new Set(), finished: isFinishedState(t.state) };
      if (t.state === 'suspended' && t.location) node.site = { file: t.location.file, line: t.location.line };
      this.byKey.set(key, node);
      this.rowKeys.set(node.key, node);
    }
    node.members.add(t.id);
    this.groupOfTask.set(t.id, { key, node });
    changed.add(node);
  }

  private unplace(id: number, changed: Set<LocationNode>): void {
    const at = this.groupOfTask.get(id);
    if (!at) return;
    this.groupOfTask.delete(id);
    at.node.members.delete(id);
    changed.add(at.node);
    if (at.node.members.size) return;
    this.byKey.delete(at.key);
    this.rowKeys.delete(at.node.key);
  }

  /** In the terminal inspector's order (equal sizes by the same key). */
  private sorted(): LocationNode[] {
    const entries = [...this.byKey].map(([key, g]) => ({ key, count: g.members.size, finished: g.finished, g }));
    return entries.sort(compareGroups).map((e) => e.g);
  }
}
