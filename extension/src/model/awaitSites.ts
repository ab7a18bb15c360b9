/**
 * Await sites: for each source line where tasks are suspended now, which tasks. The editor shows
 * "⏸ 12 tasks" there. Kept incrementally (one task's change costs O(1)) and reports which files'
 * counts changed so that only their editors are redecorated.
 */
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import type { StoreChange, TaskStore } from './taskStore';

interface Site {
  file: string;
  line: number;
}

export class AwaitSiteIndex {
  private readonly byFile = new Map<string, Map<number, Set<number>>>();
  private readonly siteOf = new Map<number, Site>();

  /** Rebuilds from the store (after a snapshot); returns every file that had or has sites. */
  rebuild(store: TaskStore): Set<string> {
    const files = new Set(this.byFile.keys());
    this.byFile.clear();
    this.siteOf.clear();
    for (const t of store.tasks.values()) this.place(t);
    for (const f of this.byFile.keys()) files.add(f);
    return files;
  }

  /** Applies a store change; returns the files whose sites changed. */
  apply(change: StoreChange, store: TaskStore): Set<string> {
    if (change.reset) return this.rebuild(store);
    const files = new Set<string>();
    for (const id of change.removed.keys()) this.unplace(id, files);
    for (const id of change.changed.keys()) {
      const t = store.tasks.get(id)!;
      const before = this.siteOf.get(id);
      const after = siteOf(t);
      if (before?.file === after?.file && before?.line === after?.line) continue;
      this.unplace(id, files);
      if (after) {
        this.place(t);
        files.add(after.file);
      }
    }
    return files;
  }

  /** The lines of a file with suspended tasks, and the tasks at each (ids in arrival order). */
  sitesIn(file: string): ReadonlyMap<number, ReadonlySet<number>> {
    return this.byFile.get(file) ?? EMPTY;
  }

  tasksAt(file: string, line: number): number[] {
    return [...(this.byFile.get(file)?.get(line) ?? [])];
  }

  files(): IterableIterator<string> {
    return this.byFile.keys();
  }

  private place(t: TaskRecord): void {
    const site = siteOf(t);
    if (!site) return;
    let lines = this.byFile.get(site.file);
    if (!lines) this.byFile.set(site.file, (lines = new Map()));
    let ids = lines.get(site.line);
    if (!ids) lines.set(site.line, (ids = new Set()));
    ids.add(t.id);
    this.siteOf.set(t.id, site);
  }

  private unplace(id: number, files: Set<string>): void {
    const site = this.siteOf.get(id);
    if (!site) return;
    this.siteOf.delete(id);
    files.add(site.file);
    const lines = this.byFile.get(site.file)!;
    const ids = lines.get(site.line)!;
    ids.delete(id);
    if (ids.size) return;
    lines.delete(site.line);
    if (!lines.size) this.byFile.delete(site.file);
  }
}

function siteOf(t: TaskRecord): Site | undefined {
  return t.state === 'suspended' && t.location ? { file: t.location.file, line: t.location.line } : undefined;
}

const EMPTY: ReadonlyMap<number, ReadonlySet<number>> = new Map();
