/**
 * The timeline buffer: step events (created, scheduled, resumed, suspended, done...) between two
 * batches, in a preallocated typed array so that recording one costs three stores and no
 * allocation (the program may produce millions per second). Full: further events are counted as
 * dropped, never buffered. Serialized straight to the JSON of the wire's StepEvent[].
 */

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
    // Measured: small arrays through JSON.stringify beat building the text by hand (template strings, join).
    const out: [number, number, number][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const j = i * 3;
      out[i] = [b[j] | 0, b[j + 1] | 0, Math.round(b[j + 2] * 1000) / 1000];
    }
    return JSON.stringify(out);
  }

  clear(): void {
    this.n = 0;
  }
}
