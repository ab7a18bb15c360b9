/**
 * The runtime's side of the site ids that transformed modules record (transform.ts): finding the
 * shared object, and turning a task's recorded sites into source frames. Nothing here runs while a
 * task runs: the transform's helpers (key.ts BOOT) write the sites, and this module reads them only
 * when the debugger asks where a task is.
 */
import { BOOT, SITES_KEY, type SitesGlobal } from './key';
import type { CapturedStack, SourceFrame } from '../stacks';

const K = Symbol.for(SITES_KEY);
const G = globalThis as { [K]?: SitesGlobal };

/** The shared object, made now if no transformed module made it yet. */
export function sitesGlobal(): SitesGlobal {
  // BOOT is the very text the transform pastes into modules, so both sides build the same object.
  return G[K] ?? ((0, eval)(BOOT) as SitesGlobal);
}

/** Whether any transformed module registered sites in this process (the transform is at work). */
export function sitesActive(): boolean {
  const s = G[K];
  return s !== undefined && s.n > 0;
}

export interface Site extends SourceFrame {
  kind: 'await' | 'create' | 'discard';
}

/** A site's kind as packed by the transform (0, 1, 2). */
const KINDS: Site['kind'][] = ['await', 'create', 'discard'];

interface Block {
  base: number;
  count: number;
  files: string[];
  names: string[];
  data: number[];
}

/** Parsed module tables, by base id (registration order, so bases ascend). */
const blocks: Block[] = [];
/** How many entries of the shared queue are parsed into `blocks`. */
let parsedUpTo = 0;

function parseNew(s: SitesGlobal): void {
  const q = s.q;
  for (; parsedUpTo + 2 < q.length; parsedUpTo += 3) {
    const base = q[parsedUpTo] as number;
    let packed: { files: string[]; names: string[]; sites: number[] };
    try {
      packed = JSON.parse(q[parsedUpTo + 2] as string);
    } catch {
      continue;
    }
    blocks.push({ base, count: packed.sites.length / 5, files: packed.files, names: packed.names, data: packed.sites });
  }
}

const cache = new Map<number, Site | null>();

/** The source position of a site id (null: unknown). */
export function siteInfo(id: number): Site | null {
  let hit = cache.get(id);
  if (hit !== undefined) return hit;
  const s = G[K];
  if (s === undefined) return null;
  if (parsedUpTo < s.q.length) parseNew(s);
  hit = null;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (id < b.base) hi = mid - 1;
    else if (id >= b.base + b.count) lo = mid + 1;
    else {
      const i = (id - b.base) * 5;
      const d = b.data;
      hit = { file: b.files[d[i]], line: d[i + 1], column: d[i + 2], function: b.names[d[i + 3]] ?? '', kind: KINDS[d[i + 4]] ?? 'create' };
      break;
    }
  }
  if (cache.size > 100_000) cache.clear();
  cache.set(id, hit);
  return hit;
}

const frameCache = new Map<number, SourceFrame | null>();

/** A site as a source frame (file, line, column, function), one object per site, shared. */
export function siteFrame(id: number): SourceFrame | null {
  let f = frameCache.get(id);
  if (f === undefined) {
    const s = siteInfo(id);
    f = s === null ? null : { file: s.file, line: s.line, column: s.column, function: s.function };
    if (frameCache.size > 100_000) frameCache.clear();
    frameCache.set(id, f);
  }
  return f;
}

/** What the transform's helpers keep on a task. */
export interface SiteSlots {
  _sites: number[] | null;
  _depth: number;
}

/**
 * A task's await chain from its recorded sites, innermost first: where it is suspended (or, while
 * it runs or waits in the ready queue, where it last suspended and will resume). Null when none of
 * its frames ran transformed code.
 */
export function siteFrames(task: SiteSlots): Site[] | null {
  const k = task._sites;
  const depth = task._depth;
  if (k === null || depth <= 0) return null;
  const out: Site[] = [];
  for (let d = depth - 1; d >= 0; d--) {
    const id = k[d];
    if (id === undefined) continue;
    const f = siteInfo(id);
    if (f !== null) out.push(f);
  }
  return out.length ? out : null;
}

/** The innermost recorded site of a task (where it is suspended), or null. */
export function innermostSite(task: SiteSlots): number {
  const k = task._sites;
  const depth = task._depth;
  if (k === null || depth <= 0) return -1;
  const id = k[depth - 1];
  return id === undefined ? -1 : id;
}

/** Site ids registered so far whose file and line are these (for source breakpoints). */
export function sitesAtLine(file: string, line: number, kind: Site['kind'] = 'await'): number[] {
  const s = G[K];
  if (s === undefined) return [];
  if (parsedUpTo < s.q.length) parseNew(s);
  const out: number[] = [];
  for (const b of blocks) {
    const fi: number[] = [];
    b.files.forEach((f, i) => {
      if (f === file) fi.push(i);
    });
    if (fi.length === 0) continue;
    for (let i = 0; i < b.count; i++) {
      const d = b.data;
      if (d[i * 5 + 1] === line && fi.includes(d[i * 5]) && KINDS[d[i * 5 + 4]] === kind) out.push(b.base + i);
    }
  }
  return out;
}

/** Site ids as a stack the agent reads like a captured one: frames worked out on first read. */
class SiteStack implements CapturedStack {
  private built: SourceFrame[] | undefined;
  constructor(private readonly ids: number[]) {}
  get frames(): SourceFrame[] {
    if (this.built === undefined) {
      const out: SourceFrame[] = [];
      for (const id of this.ids) {
        const f = siteFrame(id);
        if (f !== null) out.push(f);
      }
      this.built = out;
    }
    return this.built;
  }
  /** The innermost frame, shared by every task at that site (a record's location allocates nothing). */
  get first(): SourceFrame | null {
    return this.ids.length ? siteFrame(this.ids[0]) : null;
  }
  set frames(_v: SourceFrame[]) {
    // userFrames() caches into `frames`; these are already final.
  }
}

/** A task's await chain (innermost first) as a stack, from its recorded sites (null: none recorded). */
export function siteStack(task: SiteSlots): CapturedStack | null {
  const k = task._sites;
  const depth = task._depth;
  if (k === null || depth <= 0) return null;
  const ids: number[] = [];
  for (let d = depth - 1; d >= 0; d--) if (k[d] !== undefined) ids.push(k[d]);
  return ids.length ? new SiteStack(ids) : null;
}

/**
 * Where a task is being created, as a stack: the creating line (the last creation mark, made in
 * this step of this parent), then the parent's frames above the creating one. Null when no mark
 * was made for it (a task created by code the transform did not see).
 */
export function creationSiteStack(parent: (SiteSlots & { _steps: number }) | null): CapturedStack | null {
  const s = G[K];
  if (s === undefined || s.c < 0 || s.ct !== parent) return null;
  if (parent === null) {
    // Outside any task (run(main())): one task per mark, or a later unmarked creation would inherit it.
    const id = s.c;
    s.c = -1;
    return new SiteStack([id]);
  }
  if (s.cs !== parent._steps) return null;
  const ids = [s.c];
  const k = parent._sites;
  if (k !== null) for (let d = Math.min(s.cd, parent._depth) - 1; d >= 0; d--) if (k[d] !== undefined) ids.push(k[d]);
  return new SiteStack(ids);
}
