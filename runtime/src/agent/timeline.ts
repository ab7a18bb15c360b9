/**
 * The timeline buffer: step events (created, scheduled, resumed, suspended, done...) between two
 * batches, in a preallocated typed array so that recording one costs three stores and no
 * allocation (the program may produce millions per second). Full: further events are counted as
 * dropped, never buffered. Serialized straight to the JSON of the wire's StepEvent[].
 */

const KIND_PREFIX = ['[0,', '[1,', '[2,', '[3,', '[4,', '[5,', '[6,'];

/** Events buffered between batches, at most. */
export const MAX_EVENTS = 100_000;

export class EventBuffer {
  private buf: Float64Array | null = null;
  private n = 0;
  /** Events refused since the last take (buffer full, or the debugger behind). */
  dropped = 0;

  /** Allocates the buffer (timeline on) or frees it (off). */
  enable(on: boolean): void {
    if (on) this.buf ??= new Float64Array(MAX_EVENTS * 3);
    else {
      this.buf = null;
      this.n = 0;
    }
  }

  get length(): number {
    return this.n;
  }

  /** Whether the next event would be dropped (off, or full until the next batch takes the events). */
  get full(): boolean {
    return this.buf === null || this.n >= MAX_EVENTS;
  }

  push(kind: number, id: number, time: number): void {
    const b = this.buf;
    if (b === null || this.n >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    const i = this.n++ * 3;
    b[i] = kind;
    b[i + 1] = id;
    b[i + 2] = time;
  }

  /** The buffered events as JSON (`[[kind,taskId,time],...]`, time to the microsecond), or null if none; empties the buffer. */
  takeJson(): string | null {
    const b = this.buf;
    const n = this.n;
    if (b === null || n === 0) return null;
    this.n = 0;
    // Built by hand (measured 4-8x faster than JSON.stringify of small arrays): the kind prefix
    // comes from a table, and the time's text is reused while it repeats (the hooks read the clock
    // once per several dozen events), so most events cost one small integer conversion.
    let s = '[';
    let lastT = NaN;
    let tail = '';
    for (let i = 0; i < n; i++) {
      const j = i * 3;
      const t = b[j + 2];
      if (t !== lastT) {
        lastT = t;
        tail = ',' + Math.round(t * 1000) / 1000 + ']';
      }
      s += (i === 0 ? '' : ',') + (KIND_PREFIX[b[j]] ?? `[${b[j]},`) + (b[j + 1] | 0) + tail;
    }
    return s + ']';
  }

  clear(): void {
    this.n = 0;
  }
}
