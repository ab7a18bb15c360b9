import { describe, it, expect } from 'vitest';
import { TimelineBuffer } from '../../../extension/src/model/timelineBuffer';
import type { StepEvent } from '../../../runtime/src/protocol/wire';

describe('TimelineBuffer', () => {
  it('keeps the newest events in order and counts the ones it had to drop', () => {
    const b = new TimelineBuffer(4);
    b.append([[2, 1, 10], [3, 1, 11]], 5);
    expect(b.events()).toEqual([[2, 1, 10], [3, 1, 11]]);
    b.append([[2, 2, 12], [3, 2, 13], [2, 3, 14], [4, 3, 15]] as StepEvent[]);
    expect(b.events()).toEqual([[2, 2, 12], [3, 2, 13], [2, 3, 14], [4, 3, 15]]);
    expect(b.dropped).toBe(5 + 2);
    b.clear();
    expect([b.length, b.dropped, b.events()]).toEqual([0, 0, []]);
  });
});
