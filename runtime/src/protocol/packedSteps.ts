/**
 * Timeline events on the wire, packed: a batch's events as three base64 strings (kinds as bytes,
 * task ids as 32-bit integers, times as 32-bit microsecond offsets from `base`), little-endian.
 * Packing is a copy and a native base64 encoding on the program's side, about nine bytes an event;
 * the JSON of `[kind, id, time]` cost the program several times the task switch it described.
 * The debugger's end (peer.ts) unpacks them into the StepEvent arrays every consumer reads.
 */
import type { StepEvent, EventKind } from './wire';

export interface PackedSteps {
  /** How many events. */
  n: number;
  /** Loop time (ms) the offsets count from: the first event's. */
  base: number;
  /** n bytes: each event's kind. */
  k: string;
  /** n × uint32: each event's task id. */
  id: string;
  /** n × uint32: each event's time, in µs after base. */
  dt: string;
}

/** The first `n` events of the three arrays, packed (times in ms; they never run backwards within a batch). */
export function packSteps(kinds: Uint8Array, ids: Uint32Array, times: Float64Array, n: number): PackedSteps {
  const base = times[0];
  const dts = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const d = Math.round((times[i] - base) * 1000);
    dts[i] = d > 0 ? (d < 0xffffffff ? d : 0xffffffff) : 0;
  }
  const b64 = (a: ArrayBufferView, bytes: number) => Buffer.from(a.buffer, a.byteOffset, bytes).toString('base64');
  return { n, base: Math.round(base * 1000) / 1000, k: b64(kinds, n), id: b64(ids, n * 4), dt: b64(dts, n * 4) };
}

/** The events of a packed batch; null when the packing is not what it says (a bad runtime message). */
export function unpackSteps(p: PackedSteps): StepEvent[] | null {
  if (!p || typeof p.n !== 'number' || !Number.isInteger(p.n) || p.n < 0 || typeof p.base !== 'number' || typeof p.k !== 'string' || typeof p.id !== 'string' || typeof p.dt !== 'string') return null;
  const k = Buffer.from(p.k, 'base64');
  const id = Buffer.from(p.id, 'base64');
  const dt = Buffer.from(p.dt, 'base64');
  const n = p.n;
  if (k.length !== n || id.length !== n * 4 || dt.length !== n * 4) return null;
  const out: StepEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = [k[i] as EventKind, id.readUInt32LE(i * 4), Math.round((p.base + dt.readUInt32LE(i * 4) / 1000) * 1000) / 1000];
  }
  return out;
}
