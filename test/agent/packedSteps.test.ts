/**
 * Timeline events on the wire (protocol/packedSteps.ts): what the runtime packs, the debugger's end
 * unpacks to the same events, in order, to the microsecond; a bad packing is refused, never thrown.
 */
import { describe, it, expect } from 'vitest';
import { packSteps, unpackSteps } from '../../runtime/src/protocol/packedSteps';
import { EventBuffer, MAX_EVENTS } from '../../runtime/src/agent/timeline';

describe('packed timeline events', () => {
  it('round-trip: kinds, task ids up to 2^32-1 and times to the microsecond, in order', () => {
    const buf = new EventBuffer();
    buf.enable(true);
    const sent: [number, number, number][] = [];
    for (let i = 0; i < 1000; i++) {
      const e: [number, number, number] = [i % 7, i === 999 ? 0xffffffff : i * 7919, 1234.5 + i * 0.001 + (i % 3) * 0.0004];
      sent.push(e);
      buf.push(...e);
    }
    const packed = buf.take()!;
    expect(buf.length).toBe(0);
    // About nine bytes an event (as base64), against ~20 for the JSON of [kind,id,time].
    expect(JSON.stringify(packed).length).toBeLessThan(1000 * 13);
    const got = unpackSteps(JSON.parse(JSON.stringify(packed)))!;
    expect(got).toHaveLength(1000);
    got.forEach(([k, id, t], i) => {
      expect(k).toBe(sent[i][0]);
      expect(id).toBe(sent[i][1]);
      expect(Math.abs(t - sent[i][2])).toBeLessThanOrEqual(0.0005);
    });
  });

  it('a full buffer counts what it refuses; off, it keeps nothing', () => {
    const buf = new EventBuffer();
    buf.push(1, 1, 1);
    expect(buf.dropped).toBe(1);
    buf.enable(true);
    for (let i = 0; i < MAX_EVENTS + 5; i++) buf.push(2, 3, 4);
    expect(buf.length).toBe(MAX_EVENTS);
    expect(buf.dropped).toBe(6);
  });

  it('refuses a packing that does not add up, without throwing', () => {
    const good = packSteps(new Uint8Array([1, 2]), new Uint32Array([5, 6]), new Float64Array([1, 2]), 2);
    expect(unpackSteps({ ...good, n: 3 })).toBeNull();
    expect(unpackSteps({ ...good, id: 'not base64 of 8 bytes' })).toBeNull();
    expect(unpackSteps({ n: 'x' } as never)).toBeNull();
    expect(unpackSteps(null as never)).toBeNull();
    expect(unpackSteps(good)).toEqual([
      [1, 5, 1],
      [2, 6, 2],
    ]);
  });
});
