import { Queue } from './queue';
import type { PrimitiveOptions } from './waiters';

export type Compare<T> = (a: T, b: T) => number;

/**
 * Python's `<` for the values priority queues hold: numbers, bigints and strings by value, arrays
 * (Python's tuples, e.g. `[priority, seq, item]`) element by element. Anything else needs a
 * `compare` option, as Python would raise TypeError.
 */
export function pythonOrder(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = pythonOrder(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const ta = typeof a;
  const tb = typeof b;
  const numeric = (t: string) => t === 'number' || t === 'bigint';
  if ((numeric(ta) && numeric(tb)) || (ta === 'string' && tb === 'string')) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  throw new TypeError(`cannot order ${describe(a)} and ${describe(b)} in a PriorityQueue; pass { compare } to order such items`);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export interface PriorityQueueOptions<T> extends PrimitiveOptions {
  /** Orders items, smallest first (default: Python's ordering of numbers, strings and arrays). */
  compare?: Compare<T>;
}

/** asyncio.PriorityQueue: `get()` returns the smallest item first (a binary heap, as heapq). */
export class PriorityQueue<T = unknown> extends Queue<T> {
  declare private _heap: T[];
  declare private _compare: Compare<T>;

  constructor(maxsize = 0, options: PriorityQueueOptions<T> = {}) {
    super(maxsize, options);
    this._compare = options.compare ?? (pythonOrder as Compare<T>);
  }

  protected override _init(): void {
    this._heap = [];
  }

  override qsize(): number {
    return this._heap.length;
  }

  protected override _put(item: T): void {
    const h = this._heap;
    const cmp = this._compare;
    // Compare before inserting, so an unorderable item leaves the heap untouched.
    if (h.length) cmp(item, h[0]);
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(h[i], h[p]) >= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  protected override _get(): T {
    const h = this._heap;
    const cmp = this._compare;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && cmp(h[l], h[m]) < 0) m = l;
        if (r < h.length && cmp(h[r], h[m]) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** asyncio.LifoQueue: `get()` returns the most recently put item. */
export class LifoQueue<T = unknown> extends Queue<T> {
  declare private _stack: T[];

  protected override _init(): void {
    this._stack = [];
  }
  override qsize(): number {
    return this._stack.length;
  }
  protected override _put(item: T): void {
    this._stack.push(item);
  }
  protected override _get(): T {
    return this._stack.pop() as T;
  }
}
