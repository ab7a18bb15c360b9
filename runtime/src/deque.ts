/**
 * A FIFO ring buffer: O(1) push, shift and length. The ready queue is one of these;
 * an Array's shift() is O(n) once V8 leaves its fast path, which 100,000 ready tasks would hit.
 */
export class Deque<T> {
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
