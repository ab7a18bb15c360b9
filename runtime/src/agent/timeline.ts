/**
 * The timeline buffer: step events (created, scheduled, resumed, suspended, done...) between two
 * batches, in preallocated typed arrays so that recording one costs three stores and no
 * allocation (the program may produce millions per second). Full: further events are counted as
 * dropped, never buffered. Sent packed (protocol/packedSteps.ts), never as JSON arrays.
 */
import { packSteps, type PackedSteps } from '../protocol/packedSteps';

/** Events buffered between batches, at most. */
export const MAX_EVENTS = 100_000;

export class EventBuffer {
  private kinds: Uint8Array | null = null;
  private ids: Uint32Array | null = null;
  private times: Float64Array | null = null;
  private n = 0;
  /** Events refused since the last take (buffer full, or the debugger behind). */
  dropped = 0;

  /** Allocates the buffer (timeline on) or frees it (off). */
  enable(on: boolean): void {
    if (on) {
      this.kinds ??= new Uint8Array(MAX_EVENTS);
      this.ids ??= new Uint32Array(MAX_EVENTS);
      this.times ??= new Float64Array(MAX_EVENTS);
    } else {
      this.kinds = this.ids = this.times = null;
      this.n = 0;
    }
  }

  get length(): number {
    return this.n;
  }

  /** Whether the next event would be dropped (off, or full until the next batch takes the events). */
  get full(): boolean {
    return this.times === null || this.n >= MAX_EVENTS;
  }

  push(kind: number, id: number, time: number): void {
    const t = this.times;
    if (t === null || this.n >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    const i = this.n++;
    this.kinds![i] = kind;
    this.ids![i] = id;
    t[i] = time;
  }

  /** The buffered events, packed for the wire (protocol/packedSteps.ts), or null if none; empties the buffer. */
  take(): PackedSteps | null {
    const n = this.n;
    if (this.times === null || n === 0) return null;
    this.n = 0;
    return packSteps(this.kinds!, this.ids!, this.times, n);
  }

  clear(): void {
    this.n = 0;
  }
}
