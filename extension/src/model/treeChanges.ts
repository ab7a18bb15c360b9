/**
 * What changed in the Tasks tree since the view was last told: whole-tree, containers whose rows
 * changed, location groups whose count or tasks changed, tasks whose own row changed, the ready section. `take` turns it into the exact rows to
 * refresh — only rows the view has been given, a row skipped when its container is redrawn anyway —
 * and starts over.
 */
import { ROOT, type TaskStore } from './taskStore';
import type { TreeListing } from './treeListing';
import type { LocationNode, TreeNode } from './treeNodes';

/** Above this many pending rows a full refresh is cheaper than listing them. */
const FULL_REFRESH_ABOVE = 20_000;

export class TreeChanges {
  all = false;
  readonly containers = new Set<number>();
  readonly tasks = new Set<number>();
  readonly locations = new Set<LocationNode>();
  readySection = false;

  /** A container's rows changed (ROOT: the top level, i.e. everything). */
  container(id: number): void {
    if (id === ROOT) this.all = true;
    else this.containers.add(id);
  }

  get any(): boolean {
    return this.all || this.readySection || this.containers.size > 0 || this.tasks.size > 0 || this.locations.size > 0;
  }

  /** The rows to refresh ('all': the whole tree); clears what was pending. */
  take(listing: TreeListing, store: TaskStore): TreeNode[] | 'all' {
    const all = this.all || this.tasks.size + this.containers.size > FULL_REFRESH_ABOVE;
    const rows: TreeNode[] = [];
    if (all) {
      listing.syncReadySection();
      listing.resetExposure();
    } else {
      const exposed = listing.exposed;
      if (this.readySection) {
        const section = listing.readySectionNode();
        listing.syncReadySection();
        if (exposed.has(section.key)) rows.push(section);
      }
      for (const c of this.containers) {
        const node = listing.taskNode(c);
        if (exposed.has(node.key)) rows.push(node);
      }
      for (const g of this.locations) if (exposed.has(g.key)) rows.push(g);
      const byLocation = listing.search ? null : listing.locations;
      for (const id of this.tasks) {
        // A row under a container or group being redrawn is redrawn with it (search rows sit at the top).
        const group = byLocation?.groupOf(id);
        const redrawn = byLocation ? group !== undefined && this.locations.has(group) : !listing.search && this.containers.has(store.containerOf(id));
        if (!redrawn) {
          const node = listing.taskNode(id);
          if (exposed.has(node.key)) rows.push(node);
        }
        const ready = listing.readyNode(id);
        if (ready && !this.readySection && exposed.has(ready.key)) rows.push(ready);
      }
    }
    this.all = false;
    this.readySection = false;
    this.containers.clear();
    this.locations.clear();
    this.tasks.clear();
    return all ? 'all' : rows;
  }
}
