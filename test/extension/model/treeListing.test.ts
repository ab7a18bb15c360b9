import { describe, it, expect } from 'vitest';
import { TaskTreeModel } from '../../../extension/src/model/taskTreeModel';
import type { GroupNode, MoreNode, TreeNode } from '../../../extension/src/model/treeNodes';
import { task, waiting, snapshot, delta, mainWithWorkers } from '../records';

const keys = (rows: TreeNode[]) => rows.map((r) => r.key);

function model(tasks = mainWithWorkers(500), opts = {}) {
  const m = new TaskTreeModel({ intervalMs: 0, ...opts });
  m.applySnapshot(snapshot(tasks));
  m.flushNow();
  return m;
}

describe('Tasks tree rows', () => {
  it('lists tasks under their creator and folds identical siblings into one group', () => {
    const m = model();
    const [main] = m.children();
    expect(main).toMatchObject({ kind: 'task', taskId: 1 });
    const rows = m.children(main);
    expect(rows).toHaveLength(1);
    const g = rows[0] as GroupNode;
    expect(g).toMatchObject({ kind: 'group', count: 500, label: 'worker', container: 1 });
    expect(m.children(g)).toHaveLength(500);
    expect(m.parent(m.children(g)[7]!)).toBe(g);
    expect(m.parent(g)).toBe(main);
  });

  it('lifts a task out of its group when it stops looking like its siblings', () => {
    const m = model();
    const [main] = m.children();
    m.applyDelta(delta([task(9, { name: 'worker-8', parentId: 1, state: 'running' })]));
    const rows = m.children(main);
    expect(rows.map((r) => r.kind)).toEqual(['group', 'task']);
    expect((rows[0] as GroupNode).count).toBe(499);
    expect(rows[1]).toMatchObject({ taskId: 9 });
  });

  it('does not fold siblings whose subtrees differ, nor when folding is off', () => {
    const tasks = mainWithWorkers(4);
    tasks.push(waiting(10, 2, 'child')); // worker-1 has a child, the others none
    const m = model(tasks);
    const [main] = m.children();
    expect(m.children(main).map((r) => r.kind)).toEqual(['task', 'group']);
    expect((m.children(main)[1] as GroupNode).count).toBe(3);
    // The same child under every worker makes them identical again.
    m.applyDelta(delta([waiting(11, 3, 'child'), waiting(12, 4, 'child'), waiting(13, 5, 'child')]));
    expect(m.children(main).map((r) => [r.kind, (r as GroupNode).count])).toEqual([['group', 4]]);
  });

  it('folds from two identical siblings, like the terminal inspector, and not when folding is off', () => {
    const m1 = model(mainWithWorkers(1));
    expect(m1.children(m1.children()[0]).map((r) => r.kind)).toEqual(['task']);
    const m2 = model(mainWithWorkers(2));
    expect(m2.children(m2.children()[0]).map((r) => r.kind)).toEqual(['group']);
    m2.setFold(false);
    expect(m2.children(m2.children()[0]).map((r) => r.kind)).toEqual(['task', 'task']);
  });

  it('does not fold tasks waiting on different resources', () => {
    const tasks = mainWithWorkers(2);
    tasks[2] = { ...tasks[2]!, awaiting: { kind: 'queue.get', resourceId: 2, size: 0, maxsize: 0 } };
    const m = model(tasks);
    expect(m.children(m.children()[0]).map((r) => r.kind)).toEqual(['task', 'task']);
  });

  it('hides finished tasks on request but keeps a finished creator whose children live', () => {
    const tasks = [task(1, { name: 'main', state: 'done' }), task(2, { name: 'a', parentId: 1, state: 'suspended' }), task(3, { name: 'b', parentId: 1, state: 'failed' }), task(4, { name: 'gone', state: 'cancelled' })];
    const m = model(tasks);
    expect(keys(m.children())).toEqual(['t1', 't4']);
    m.setHideFinished(true);
    expect(keys(m.children())).toEqual(['t1']);
    expect(keys(m.children(m.children()[0]))).toEqual(['t2']);
    m.applyDelta(delta([task(2, { name: 'a', parentId: 1, state: 'done' })]));
    expect(keys(m.children())).toEqual([]);
  });

  it('searches by name as a flat list of leaves', () => {
    const tasks = [task(1, { name: 'main' }), task(2, { name: 'fetch-a', parentId: 1 }), task(3, { name: 'FETCH-b', parentId: 2 }), task(4, { name: 'other', parentId: 1 })];
    const m = model(tasks);
    m.setSearch('fetch');
    const rows = m.children();
    expect(keys(rows)).toEqual(['t2', 't3']);
    expect(m.hasChildren(rows[0]!)).toBe(false);
    expect(m.parent(rows[1]!)).toBeUndefined();
    m.setSearch('');
    expect(keys(m.children())).toEqual(['t1']);
  });

  it('pages long lists with a "more" row, and widens the page to reveal a task', () => {
    const tasks = [task(1, { name: 'main' })];
    for (let i = 2; i < 1200; i++) tasks.push(task(i, { name: `unique${'x'.repeat(i % 50)}${String.fromCharCode(65 + (i % 26))}`, parentId: 1, state: 'running' }));
    const m = model(tasks, { pageSize: 100, fold: false });
    const main = m.children()[0]!;
    const rows = m.children(main);
    expect(rows).toHaveLength(101);
    const more = rows[100] as MoreNode;
    expect(more).toMatchObject({ kind: 'more', hidden: 1098 });
    expect(m.parent(more)).toBe(main);
    m.showMore(more);
    expect(m.children(main)).toHaveLength(201);
    expect(m.listing.ensureListed(1000)).toMatchObject({ taskId: 1000 });
    expect(keys(m.children(main))).toContain('t1000');
  });

  it('shows the ready queue in scheduling order only while paused', () => {
    const m = model([task(1, { name: 'a' }), task(2, { name: 'b' }), task(3, { name: 'c' })]);
    m.setReadyQueue({ taskIds: [3, 1], callbacks: 0 });
    expect(keys(m.children())).toEqual(['t1', 't2', 't3']);
    m.setPaused(true);
    m.setReadyQueue({ taskIds: [3, 1], callbacks: 2 });
    const [section] = m.children();
    expect(section).toMatchObject({ kind: 'readySection' });
    expect(m.children(section).map((r) => [r.key, (r as { position: number }).position])).toEqual([['r3', 1], ['r1', 2]]);
    m.setPaused(false);
    expect(keys(m.children())).toEqual(['t1', 't2', 't3']);
  });
});
