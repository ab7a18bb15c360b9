/**
 * The most recent timeline events of the session the Task Inspector shows, kept by the host: the
 * inspector's page is discarded while hidden (no retainContextWhenHidden), and when it is shown
 * again it gets the state as a snapshot plus this history, so its timeline does not start blank.
 * A ring of typed arrays: fixed memory (13 bytes an event), no per-event objects.
 */
import type { EventKind, StepEvent } from '../../../runtime/src/protocol/wire';

export class TimelineBuffer {
  private kinds: Uint8Array | null = null;
  private ids: Uint32Array | null = null;
  private times: Float64Array | null = null;
  private start = 0;
  private size = 0;
  /** Events overwritten because the ring was full, plus those the runtime reported dropped. */
  dropped = 0;

  constructor(readonly capacity = 500_000) {}

  get length(): number {
    return this.size;
  }

  append(events: readonly StepEvent[], droppedUpstream = 0): void {
    this.dropped += droppedUpstream;
    if (!events.length || this.capacity <= 0) return;
    if (!this.kinds) {
      // Allocated on the first events: sessions without a timeline cost nothing.
      this.kinds = new Uint8Array(this.capacity);
      this.ids = new Uint32Array(this.capacity);
      this.times = new Float64Array(this.capacity);
    }
    for (const [kind, id, time] of events) {
      const at = (this.start + this.size) % this.capacity;
      this.kinds[at] = kind;
      this.ids![at] = id;
      this.times![at] = time;
      if (this.size < this.capacity) this.size++;
      else {
        this.start = (this.start + 1) % this.capacity;
        this.dropped++;
      }
    }
  }

  /** The kept events, oldest first. */
  events(): StepEvent[] {
    const out: StepEvent[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const at = (this.start + i) % this.capacity;
      out[i] = [this.kinds![at] as EventKind, this.ids![at]!, this.times![at]!];
    }
    return out;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.dropped = 0;
  }
}
