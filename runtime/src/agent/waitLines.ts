/**
 * Resources' states read once per batch. A resource's `_resourceState()` copies its waiter list, and
 * a waiter's place in line is a search of it: done per task record, 100,000 tasks waiting on one
 * Event cost 100,000 copies and searches of a 100,000-long list in one batch (over a minute with the
 * loop blocked). Here each resource's state is read once per batch, and its waiters indexed at most
 * once, and again only when the list changed. Valid only while the program does not run: cleared at
 * the start of every batch and every command.
 */
import type { Future } from '../future';
import type { Resource, ResourceState } from '../waits';

interface Line {
  state: ResourceState;
  /** Places asked so far (the first few are searched for; past that, every waiter is indexed). */
  asked: number;
  places: Map<Future<unknown>, number> | null;
}

/** A waiter list as last indexed: its length and ends, and each waiter's place. */
interface Indexed {
  length: number;
  first: Future<unknown> | undefined;
  last: Future<unknown> | undefined;
  places: Map<Future<unknown>, number>;
}

/** Places searched for one by one in a list before it is indexed (a batch usually asks for a few). */
const SEARCHES_BEFORE_INDEX = 8;

/**
 * Whether a list's index can outlive a batch: its waiters form one FIFO list, in which waiters are
 * only appended (each a new future) and removed. Then the same length and the same first and last
 * waiter mean the same list: any waiter appended since would be last, unless removed again, and then
 * as many old ones would be gone as came, which the unchanged last and length rule out. (A Queue's
 * list is its getters then its putters: a getter comes in the middle; it is never indexed anyway.)
 */
const INDEX_KEPT: ReadonlySet<string> = new Set(['lock', 'event', 'condition', 'semaphore']);

/** What a resource looks like at a glance: enough to tell that its record did not change since. */
export interface Glance {
  length: number;
  first: Future<unknown> | undefined;
  last: Future<unknown> | undefined;
  text: string;
}

export class WaitLines {
  private readonly lines = new Map<Resource, Line>();
  private readonly indexed = new WeakMap<Resource, Indexed>();

  /** Forgets every state read (the program may have run since); indexes still valid are checked when next used. */
  clear(): void {
    this.lines.clear();
  }

  private line(r: Resource): Line {
    let line = this.lines.get(r);
    if (line === undefined) {
      line = { state: r._resourceState(), asked: 0, places: null };
      this.lines.set(r, line);
    }
    return line;
  }

  /** `r`'s state (holder, value, size, waiters in wake-up order) as first read since the last clear(). */
  state(r: Resource): ResourceState {
    return this.line(r).state;
  }

  /** `r` at a glance, read as state() reads it. */
  glance(r: Resource): Glance {
    const s = this.state(r);
    const w = s.waiters;
    return { length: w.length, first: w[0], last: w[w.length - 1], text: `${s.holder?.id}|${s.value}|${s.size}|${s.maxsize}|${s.unfinished}` };
  }

  /**
   * Whether two glances show the same resource record. The waiter list is the same by the rule of
   * INDEX_KEPT (a Queue's by its getters' and putters' lengths changing together with the total, near
   * enough between stops); a waiter woken but not yet run shows only at a stop's closer look.
   */
  sameGlance(a: Glance, b: Glance): boolean {
    return a.length === b.length && a.first === b.first && a.last === b.last && a.text === b.text;
  }

  /** `fut`'s 0-based place among `r`'s waiters, or -1 when it is not queued there. */
  place(r: Resource, fut: Future<unknown>): number {
    const line = this.line(r);
    if (line.places === null) {
      const waiters = line.state.waiters;
      const kept = INDEX_KEPT.has(r.resourceKind) ? this.indexed.get(r) : undefined;
      if (kept !== undefined && kept.length === waiters.length && kept.first === waiters[0] && kept.last === waiters[waiters.length - 1]) line.places = kept.places;
      else if (++line.asked <= SEARCHES_BEFORE_INDEX) return waiters.indexOf(fut);
      else {
        const places = new Map<Future<unknown>, number>();
        for (let i = 0; i < waiters.length; i++) if (!places.has(waiters[i])) places.set(waiters[i], i);
        line.places = places;
        if (INDEX_KEPT.has(r.resourceKind)) this.indexed.set(r, { length: waiters.length, first: waiters[0], last: waiters[waiters.length - 1], places });
      }
    }
    return line.places.get(fut) ?? -1;
  }
}
