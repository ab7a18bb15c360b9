/**
 * The memory the program's main thread and the loop watchdog's worker thread share (watchdog.ts,
 * watchdogWorker.ts): where the main thread says, cheaply, that it is alive and which task step it
 * runs, so that the worker can tell a debugger about a blocked loop while the main thread cannot.
 *
 * One SharedArrayBuffer:
 *   Int32 slots   TASK  the id of the task whose step runs now (0 between steps)
 *                 STEPS that task's step count (with TASK, names one step: step counts only grow)
 *                 SITE  the await site the step resumed at (sites/registry.ts; -1: none recorded)
 *                 HELD  1 while the agent itself holds the thread in a JavaScript debugger (not a block)
 *                 NAME_END  how far the name ring is written (see below), published with Atomics.store
 *   Float64 slot  BEAT  the main thread's last heartbeat: performance.timeOrigin + performance.now() ms
 *   Uint16 ring   task names, each [id & 0xffff, id >>> 16, length, UTF-16 code units...]
 */
export const SLOT = { TASK: 0, STEPS: 1, SITE: 2, HELD: 3, NAME_END: 4 } as const;
/** Int32 slots in the header (BEAT's Float64 follows them, 8-aligned). */
export const INT_SLOTS = 8;
export const BEAT_BYTE_OFFSET = INT_SLOTS * 4;
export const HEADER_BYTES = BEAT_BYTE_OFFSET + 8;
/** Code units in the name ring (a power of two: positions wrap with a mask). */
export const RING_UNITS = 1 << 15;
/** Ring positions count written code units modulo 2^30 (they never overflow an Int32). */
export const POS_MASK = (1 << 30) - 1;
/** Longest name written to the ring (code units); longer ones are cut. */
export const MAX_NAME_UNITS = 200;

export interface SharedViews {
  buffer: SharedArrayBuffer;
  ints: Int32Array;
  beat: Float64Array;
  ring: Uint16Array;
}

export function sharedViews(buffer: SharedArrayBuffer = new SharedArrayBuffer(HEADER_BYTES + RING_UNITS * 2)): SharedViews {
  return {
    buffer,
    ints: new Int32Array(buffer, 0, INT_SLOTS),
    beat: new Float64Array(buffer, BEAT_BYTE_OFFSET, 1),
    ring: new Uint16Array(buffer, HEADER_BYTES, RING_UNITS),
  };
}
