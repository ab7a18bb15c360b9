// The webview's model and event store, without a browser: what the views draw from.
import { describe, it, expect, vi } from 'vitest';
import { EventStore, CHUNK_SIZE } from '../../../webview/src/model/eventStore';
import { IdIndex } from '../../../webview/src/model/idIndex';
import { InspectorModel, MAX_EXCEPTIONS } from '../../../webview/src/model/inspectorModel';
import type { TaskRecord } from '../../../runtime/src/protocol/wire';

const rec = (id: number, more: Partial<TaskRecord> = {}): TaskRecord => ({ id, name: `t${id}`, state: 'suspended', parentId: 0, since: 0, steps: 0, cancelling: 0, ...more });

describe('EventStore', () => {
  it('finds the first event at or after a time across chunks', () => {
    const s = new EventStore(4 * CHUNK_SIZE);
    const n = CHUNK_SIZE * 2 + 10;
    for (let i = 0; i < n; i++) s.append(2, i % 7, i * 0.5);
    expect(s.length).toBe(n);
    expect(s.chunks).toHaveLength(3);
    expect(s.lowerBound(-1)).toBe(0);
    expect(s.lowerBound(0)).toBe(0);
    expect(s.lowerBound(0.25)).toBe(1);
    expect(s.lowerBound(CHUNK_SIZE * 0.5)).toBe(CHUNK_SIZE); // first event of the second chunk
    expect(s.lowerBound(CHUNK_SIZE * 0.5 - 0.1)).toBe(CHUNK_SIZE);
    expect(s.lowerBound((n - 1) * 0.5)).toBe(n - 1);
    expect(s.lowerBound(n)).toBe(n);
    expect(s.timeAt(CHUNK_SIZE + 3)).toBe((CHUNK_SIZE + 3) * 0.5);
    expect(s.taskAt(CHUNK_SIZE + 3)).toBe((CHUNK_SIZE + 3) % 7);
  });

  it('drops the oldest chunk beyond its capacity and counts what it dropped', () => {
    const s = new EventStore(2 * CHUNK_SIZE);
    const n = 3 * CHUNK_SIZE + 5;
    for (let i = 0; i < n; i++) s.append(3, 1, i);
    expect(s.evicted).toBe(2 * CHUNK_SIZE);
    expect(s.length).toBe(CHUNK_SIZE + 5);
    expect(s.firstTime).toBe(2 * CHUNK_SIZE);
    expect(s.lowerBound(0)).toBe(0);
  });

  it('keeps times in order: one going backwards is clamped and counted', () => {
    const s = new EventStore();
    s.append(2, 1, 10);
    s.append(3, 1, 9);
    expect(s.timeAt(1)).toBe(10);
    expect(s.clamped).toBe(1);
  });

  it('refuses a capacity below one chunk', () => {
    expect(() => new EventStore(100)).toThrow(/capacity must be an integer of at least 65536/);
  });
});

describe('IdIndex', () => {
  it('maps small ids densely and huge or negative ones through a map', () => {
    const ix = new IdIndex();
    ix.set(5, 1);
    ix.set(5000, 2);
    ix.set(2 ** 30, 3);
    ix.set(-4, 4);
    expect([ix.get(5), ix.get(5000), ix.get(2 ** 30), ix.get(-4), ix.get(6)]).toEqual([1, 2, 3, 4, -1]);
    expect(ix.table.length).toBeGreaterThan(5000);
    expect(ix.table.length).toBeLessThan(2 ** 24 + 1);
  });
});

describe('InspectorModel', () => {
  it('a snapshot resets, deltas apply, removed tasks are remembered as finished', () => {
    const m = new InspectorModel();
    const changes: object[] = [];
    m.onChange((c) => changes.push(c));
    m.apply({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 4, time: 100, loop: { id: 1, clock: 'real', paused: false }, tasks: [rec(1), rec(2)], resources: [] } });
    expect(m.status).toBe('live');
    expect(m.origin).toBe(100);
    m.apply({ type: 'delta', delta: { type: 'delta', seq: 5, time: 150, tasks: [rec(2, { state: 'done', result: '42' })], removed: [2], events: [[2, 1, 120], [3, 1, 130]] } });
    expect(m.tasks.has(2)).toBe(false);
    expect(m.task(2)?.state).toBe('done');
    expect(m.finished.size).toBe(1);
    expect(m.events.length).toBe(2);
    expect(m.lanes.laneOf(1)).toBe(0);
    expect(m.now).toBe(150);
    // A new session: everything goes.
    m.apply({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: 0, loop: null, tasks: [], resources: [] } });
    expect([m.tasks.size, m.finished.size, m.events.length, m.lanes.count]).toEqual([0, 0, 0, 0]);
    expect(changes[0]).toMatchObject({ reset: true });
  });

  it('keeps failed tasks for the exceptions list, at most MAX_EXCEPTIONS', () => {
    const m = new InspectorModel();
    m.apply({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: 0, loop: null, tasks: [], resources: [] } });
    const failed = Array.from({ length: MAX_EXCEPTIONS + 5 }, (_, i) => rec(i + 1, { state: 'failed', error: { name: 'Error', message: `e${i + 1}` } }));
    m.apply({ type: 'delta', delta: { type: 'delta', seq: 2, time: 1, tasks: failed, removed: failed.map((t) => t.id) } });
    // The same record again does not count twice.
    m.apply({ type: 'delta', delta: { type: 'delta', seq: 3, time: 2, tasks: [failed.at(-1)!] } });
    expect(m.exceptions).toHaveLength(MAX_EXCEPTIONS);
    expect(m.exceptionsDropped).toBe(5);
    expect(m.exceptions[0].id).toBe(6);
  });

  it('tracks live, paused, ended; a select from the host', () => {
    const m = new InspectorModel();
    expect(m.status).toBe('waiting');
    m.apply({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: 0, loop: { id: 1, clock: 'real', paused: true }, tasks: [], resources: [] } });
    expect(m.status).toBe('paused');
    m.apply({ type: 'stopped', reason: 'step', taskId: 3, description: 'x' });
    expect(m.pause).toEqual({ reason: 'step', taskId: 3, description: 'x' });
    m.apply({ type: 'continued' });
    expect([m.status, m.pause]).toEqual(['live', null]);
    m.apply({ type: 'ended' });
    m.apply({ type: 'continued' });
    expect(m.status).toBe('ended');
    m.apply({ type: 'select', taskId: 9 });
    expect(m.selectedTaskId).toBe(9);
  });

  it('warns about, and ignores, a message it does not know', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = new InspectorModel();
    m.apply({ type: 'bogus' } as never);
    expect(warn).toHaveBeenCalledWith('Task Inspector: ignoring a message of unknown type "bogus"');
    warn.mockRestore();
  });
});
