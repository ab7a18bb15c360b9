/**
 * The timeline's events, kept compactly: three typed arrays per chunk (Float64Array loop time,
 * Int32Array task id, Uint8Array kind; 13 bytes an event) instead of one JS array per event, so a
 * million events take ~13 MB and scanning them touches contiguous memory.
 *
 * Events arrive in loop-time order (the loop's clock is monotonic), which is what lets a view find
 * the events of a time range by binary search. Storage grows a chunk at a time; past `capacity`
 * the oldest chunk is dropped whole and counted in `evicted`, so memory stays bounded however long
 * the session runs.
 */
import type { StepEvent } from '../../../runtime/src/protocol/wire';

export const CHUNK_SIZE = 1 << 16;
/** Default bound: 2,097,152 events (~27 MB). */
export const DEFAULT_CAPACITY = 32 * CHUNK_SIZE;

export interface EventChunk {
  readonly time: Float64Array;
  readonly task: Int32Array;
  readonly kind: Uint8Array;
  /** Events filled in this chunk. */
  length: number;
}

export class EventStore {
  readonly chunks: EventChunk[] = [];
  /** Events dropped from the start to stay within capacity (oldest first). */
  evicted = 0;
  /** Events whose time went backwards and was clamped to the previous one (should stay 0). */
  clamped = 0;
  private lastTime = -Infinity;
  readonly capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < CHUNK_SIZE) throw new Error(`EventStore: capacity must be an integer of at least ${CHUNK_SIZE} events, got ${capacity}`);
    // Whole chunks only: eviction drops a chunk at a time.
    this.capacity = Math.floor(capacity / CHUNK_SIZE) * CHUNK_SIZE;
  }

  /** Events held now. */
  get length(): number {
    const n = this.chunks.length;
    return n === 0 ? 0 : (n - 1) * CHUNK_SIZE + this.chunks[n - 1].length;
  }

  get firstTime(): number {
    return this.length === 0 ? NaN : this.chunks[0].time[0];
  }

  get lastEventTime(): number {
    return this.length === 0 ? NaN : this.lastTime;
  }

  clear(): void {
    this.chunks.length = 0;
    this.evicted = 0;
    this.clamped = 0;
    this.lastTime = -Infinity;
  }

  append(kind: number, taskId: number, time: number): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || chunk.length === CHUNK_SIZE) {
      if (this.chunks.length * CHUNK_SIZE >= this.capacity) {
        this.chunks.shift();
        this.evicted += CHUNK_SIZE;
      }
      chunk = { time: new Float64Array(CHUNK_SIZE), task: new Int32Array(CHUNK_SIZE), kind: new Uint8Array(CHUNK_SIZE), length: 0 };
      this.chunks.push(chunk);
    }
    if (time < this.lastTime) {
      time = this.lastTime;
      this.clamped++;
    }
    this.lastTime = time;
    const i = chunk.length++;
    chunk.time[i] = time;
    chunk.task[i] = taskId;
    chunk.kind[i] = kind;
  }

  appendAll(events: readonly StepEvent[]): void {
    for (const e of events) this.append(e[0], e[1], e[2]);
  }

  timeAt(i: number): number {
    return this.chunks[i >>> 16].time[i & 0xffff];
  }

  taskAt(i: number): number {
    return this.chunks[i >>> 16].task[i & 0xffff];
  }

  kindAt(i: number): number {
    return this.chunks[i >>> 16].kind[i & 0xffff];
  }

  /** The index of the first event at or after `time` (length if none). */
  lowerBound(time: number): number {
    const chunks = this.chunks;
    // The chunk: the last one whose first event is before `time`.
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunks[mid].time[0] < time) lo = mid + 1;
      else hi = mid;
    }
    const c = lo - 1;
    if (c < 0) return 0;
    const chunk = chunks[c];
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (chunk.time[mid] < time) a = mid + 1;
      else b = mid;
    }
    return c * CHUNK_SIZE + a;
  }
}
