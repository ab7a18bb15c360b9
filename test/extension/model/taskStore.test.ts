import { describe, it, expect } from 'vitest';
import { TaskStore, ROOT } from '../../../extension/src/model/taskStore';
import { task, snapshot, delta } from '../records';

describe('TaskStore', () => {
  it('builds the creator hierarchy from a snapshot listing children before their creator', () => {
    const s = new TaskStore();
    const change = s.applySnapshot(snapshot([task(3, { parentId: 2 }), task(2, { parentId: 1 }), task(1)]));
    expect(change.reset).toBe(true);
    expect([...s.childrenOf(ROOT)]).toEqual([1]);
    expect([...s.childrenOf(1)]).toEqual([2]);
    expect([...s.childrenOf(2)]).toEqual([3]);
    expect(s.ancestors(3)).toEqual([2, 1]);
  });

  it('reports added and changed tasks with their previous record, and ignores stale deltas', () => {
    const s = new TaskStore();
    s.applySnapshot(snapshot([task(1, { state: 'running' })], { seq: 5 }));
    expect(s.applyDelta(delta([task(1, { state: 'done' })], { seq: 5 })).changed.size).toBe(0);
    const c = s.applyDelta(delta([task(1, { state: 'suspended' }), task(2, { parentId: 1 })], { seq: 6 }));
    expect(c.changed.get(1)?.state).toBe('running');
    expect(c.changed.has(2)).toBe(true);
    expect(c.changed.get(2)).toBeUndefined();
    expect(s.tasks.get(1)?.state).toBe('suspended');
  });

  it('moves orphans under their creator when it arrives later', () => {
    const s = new TaskStore();
    s.applySnapshot(snapshot([]));
    s.applyDelta(delta([task(5, { parentId: 4 })]));
    expect([...s.childrenOf(ROOT)]).toEqual([5]);
    const c = s.applyDelta(delta([task(4)]));
    expect(c.moved.get(5)).toBe(ROOT);
    expect([...s.childrenOf(ROOT)]).toEqual([4]);
    expect([...s.childrenOf(4)]).toEqual([5]);
  });

  it('keeps the newest finished tasks and never evicts a creator whose children remain', () => {
    const s = new TaskStore(2);
    s.applySnapshot(snapshot([task(1, { state: 'done' }), task(2, { parentId: 1 }), task(3, { state: 'done' }), task(4, { state: 'done' }), task(5, { state: 'done' })]));
    const c = s.applyDelta(delta([], { removed: [1, 3, 4, 5] }));
    // 4 forgotten, 2 kept: 1 has a child so 3 and 4 (the oldest childless) go.
    expect([...c.removed.keys()].sort()).toEqual([3, 4]);
    expect(c.removed.get(3)?.container).toBe(ROOT);
    expect(s.tasks.has(1)).toBe(true);
    expect(s.tasks.has(5)).toBe(true);
  });

  it('advances loop time with the wall clock only while a real-clock loop runs', () => {
    const s = new TaskStore();
    s.applySnapshot(snapshot([], { time: 1000 }), 50_000);
    expect(s.loopNow(50_300)).toBe(1300);
    s.paused = true;
    expect(s.loopNow(50_300)).toBe(1000);
    s.paused = false;
    s.loop = { id: 1, clock: 'virtual', paused: false };
    expect(s.loopNow(50_300)).toBe(1000);
  });
});
