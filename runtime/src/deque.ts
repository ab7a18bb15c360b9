/**
 * A FIFO ring buffer: O(1) push, shift and length. The ready queue and the primitives' waiter lists
 * are deques: an Array's shift() is O(n) once V8 leaves its fast path, which 100,000 ready tasks
 * would hit, and on arrays of up to 100 items it moves every item with a write barrier each
 * (400 ns for 100 waiters of a lock).
 */
export class Deque<T> implements Iterable<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private tail = 0;
  private mask: number;
  length = 0;

  constructor(capacityPow2 = 16) {
    this.buf = new Array(capacityPow2);
    this.mask = capacityPow2 - 1;
  }

  push(item: T): void {
    this.buf[this.tail] = item;
    this.tail = (this.tail + 1) & this.mask;
    if (++this.length > this.mask) this.grow();
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return item;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.buf[this.head];
  }

  /** The item at position `i` from the front (undefined outside 0 … length - 1). */
  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.buf[(this.head + i) & this.mask] : undefined;
  }

  /** Removes the first occurrence of `item`, closing the gap; returns whether it was there. O(n). */
  remove(item: T): boolean {
    const n = this.length;
    const buf = this.buf;
    const mask = this.mask;
    let i = 0;
    while (i < n && buf[(this.head + i) & mask] !== item) i++;
    if (i === n) return false;
    if (i === 0) {
      this.shift();
      return true;
    }
    for (let j = i; j < n - 1; j++) buf[(this.head + j) & mask] = buf[(this.head + j + 1) & mask];
    this.tail = (this.tail - 1) & mask;
    buf[this.tail] = undefined;
    this.length--;
    return true;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.buf[(this.head + i) & this.mask] as T;
  }

  /** The items in FIFO order, for inspection (the debugger's ready-queue view). */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0, j = this.head; i < this.length; i++, j = (j + 1) & this.mask) out.push(this.buf[j] as T);
    return out;
  }

  clear(): void {
    this.buf = new Array(this.buf.length);
    this.head = this.tail = this.length = 0;
  }

  private grow(): void {
    const old = this.buf;
    const n = old.length;
    const next = new Array<T | undefined>(n * 2);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.tail = this.length;
    this.mask = n * 2 - 1;
  }
}
