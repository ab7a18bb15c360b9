import { describe, it, expect, vi, afterEach } from 'vitest';
import { TaskTreeModel, type ModelUpdate } from '../../../extension/src/model/taskTreeModel';
import type { GroupNode, TreeNode } from '../../../extension/src/model/treeNodes';
import { task, waiting, snapshot, delta, mainWithWorkers, frame } from '../records';

function collect(m: TaskTreeModel): ModelUpdate[] {
  const out: ModelUpdate[] = [];
  m.onDidUpdate((u) => out.push(u));
  return out;
}

const rowKeys = (u: ModelUpdate | undefined) => (u?.tree === 'all' ? 'all' : u?.tree?.map((r: TreeNode) => r.key));

/** A model showing main's children expanded, as the view would after asking for them. */
function expanded(n: number, opts = {}) {
  const m = new TaskTreeModel({ intervalMs: 100, ...opts });
  m.applySnapshot(snapshot(mainWithWorkers(n)));
  m.flushNow();
  const main = m.children()[0]!;
  const rows = m.children(main);
  return { m, main, rows };
}

afterEach(() => vi.useRealTimers());

describe('TaskTreeModel updates', () => {
  it('coalesces a burst of deltas into one update per interval', () => {
    vi.useFakeTimers();
    const { m } = expanded(10);
    const got = collect(m);
    for (let i = 0; i < 50; i++) m.applyDelta(delta([task(2, { name: 'worker-1', parentId: 1, state: i % 2 ? 'ready' : 'running' })]));
    vi.advanceTimersByTime(0);
    expect(got).toHaveLength(1); // the first change after a quiet period goes out at once
    for (let i = 0; i < 50; i++) m.applyDelta(delta([task(3, { name: 'worker-2', parentId: 1, state: i % 2 ? 'ready' : 'running' })]));
    vi.advanceTimersByTime(99);
    expect(got).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(got).toHaveLength(2);
    expect(got[1]!.tasks).toEqual(new Set([3]));
  });

  it('reports only the rows that changed, and only rows the view has', () => {
    const { m, rows } = expanded(2, { fold: false }); // two workers, both rows exposed
    expect(rows.map((r) => r.key)).toEqual(['t2', 't3']);
    const got = collect(m);
    // worker-1 now awaits a sleep at another line: its row changes, the list (no folding) does not.
    m.applyDelta(delta([{ ...waiting(2, 1, 'worker-1'), awaiting: { kind: 'sleep', deadline: 500 }, location: frame('/w/app.ts', 20) }]));
    m.flushNow();
    expect(rowKeys(got[0])).toEqual(['t2']);
    // A grandchild appears under worker-2, whose children the view never asked for: worker-2's row changes (it gains an arrow).
    m.applyDelta(delta([waiting(50, 3, 'sub')]));
    m.flushNow();
    expect(rowKeys(got[1])).toEqual(['t3']);
    // A change to that grandchild: its row is unknown to the view, so nothing to refresh.
    m.applyDelta(delta([{ ...waiting(50, 3, 'sub'), steps: 1 }]));
    m.flushNow();
    expect(rowKeys(got[2])).toEqual([]);
  });

  it('refreshes the creator\'s row when folding changes, not the whole tree', () => {
    const { m, main, rows } = expanded(500);
    const g = rows[0] as GroupNode;
    m.children(g); // the group is expanded too
    const got = collect(m);
    m.applyDelta(delta([task(7, { name: 'worker-6', parentId: 1, state: 'running' })]));
    m.flushNow();
    expect(rowKeys(got[0])).toEqual([main.key]);
    // Within the group, a change that keeps the shape is that task's row alone.
    m.applyDelta(delta([{ ...waiting(8, 1, 'worker-7'), steps: 3 }]));
    m.flushNow();
    expect(rowKeys(got[1])).toEqual(['t8']);
  });

  it('holds tree changes back while the view is hidden, and sends them when shown', () => {
    const { m } = expanded(2, { fold: false });
    const got = collect(m);
    m.setVisible(false);
    m.applyDelta(delta([{ ...waiting(2, 1, 'worker-1'), steps: 9 }]));
    m.flushNow();
    expect(got).toHaveLength(1);
    expect(got[0]!.tree).toBeUndefined();
    expect(got[0]!.tasks).toEqual(new Set([2])); // the other consumers still hear about it
    m.setVisible(true);
    m.flushNow();
    expect(rowKeys(got[1])).toEqual(['t2']);
  });

  it('reports await-site files and state counts that moved', () => {
    const { m } = expanded(3);
    const got = collect(m);
    m.applyDelta(delta([task(2, { name: 'worker-1', parentId: 1, state: 'running' })]));
    m.flushNow();
    expect(got[0]!.files).toEqual(new Set(['/w/app.ts']));
    expect(got[0]!.counts).toMatchObject({ running: 1, suspended: 3 });
    expect(m.sites.tasksAt('/w/app.ts', 10)).toEqual([3, 4]);
  });

  it('stays proportional to the change at 100,000 tasks', () => {
    const { m, main, rows } = expanded(100_000);
    expect(rows).toHaveLength(1);
    expect((rows[0] as GroupNode).count).toBe(100_000);
    const got = collect(m);
    const changed = [10, 20, 30].map((id) => task(id, { name: `worker-${id - 1}`, parentId: 1, state: 'running' }));
    m.applyDelta(delta(changed));
    m.flushNow();
    // One row to redraw (main's children: the group shrank, a group of three running appeared), not 100,000.
    expect(rowKeys(got[0])).toEqual([main.key]);
    expect(got[0]!.tasks?.size).toBe(3);
    const after = m.children(main) as GroupNode[];
    expect(after.map((r) => [r.kind, r.count, r.sampleId])).toEqual([['group', 99_997, 2], ['group', 3, 10]]);
  });

  it('redraws the shown task rows (durations, countdowns) only while time moves', () => {
    const m = new TaskTreeModel({ intervalMs: 0 });
    m.applySnapshot(snapshot([
      task(1, { name: 'a', state: 'suspended', awaiting: { kind: 'sleep', deadline: 5000 } }),
      // No timer: its duration ("suspended for …") moves all the same.
      task(2, { name: 'b', state: 'suspended', awaiting: { kind: 'event', resourceId: 1 } }),
    ]), 0);
    m.flushNow();
    m.children();
    expect(m.tickDurations(1000)).toBe(2);
    m.setPaused(true);
    expect(m.tickDurations(2000)).toBe(0);
  });

  it('rebuilds everything on a new snapshot', () => {
    const { m } = expanded(3);
    const got = collect(m);
    m.applySnapshot(snapshot([task(1)]));
    m.flushNow();
    expect(got[0]!.tree).toBe('all');
    expect(m.children().map((r) => r.key)).toEqual(['t1']);
  });
});
