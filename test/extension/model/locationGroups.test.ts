// The Tasks view grouped by location (extension/src/model/locationIndex.ts through TaskTreeModel):
// groups largest first, each expanding to its tasks, counts that follow tasks as they move, updates
// that name only the rows that changed, and the "only tasks suspended here" filter in both modes.
import { describe, expect, it, vi } from 'vitest';
import { TaskTreeModel, type ModelUpdate } from '../../../extension/src/model/taskTreeModel';
import type { GroupNode, LocationNode, MoreNode, TreeNode } from '../../../extension/src/model/treeNodes';
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import { delta, frame, snapshot, task, waiting } from '../records';

const FILE = '/w/crawler.ts';

/** main (1) gathering; workers 2..n22+1 on jobs.get() at line 22, then n30 on results.get() at line 30. */
function crawler(n22: number, n30: number): TaskRecord[] {
  const tasks = [task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'gather', taskIds: [] }, location: frame('/w/main.ts', 40) })];
  let id = 2;
  for (let i = 0; i < n22; i++, id++) tasks.push(waiting(id, 1, `worker-${id}`, FILE, 22));
  for (let i = 0; i < n30; i++, id++) tasks.push({ ...waiting(id, 1, `worker-${id}`, FILE, 30), awaiting: { kind: 'queue.get', resourceId: 2, size: 0, maxsize: 0 } });
  return tasks;
}

/** Worker `id` now suspended on results.get() at line 30 (it took a job and moved on). */
const movedOn = (id: number, steps = 2): TaskRecord => ({ ...waiting(id, 1, `worker-${id}`, FILE, 30), awaiting: { kind: 'queue.get', resourceId: 2, size: 0, maxsize: 0 }, steps });

function byLocation(tasks: TaskRecord[], opts = {}) {
  const m = new TaskTreeModel({ intervalMs: 0, ...opts });
  m.setGroupBy('location');
  m.applySnapshot(snapshot(tasks));
  m.flushNow();
  return m;
}

function collect(m: TaskTreeModel): ModelUpdate[] {
  const out: ModelUpdate[] = [];
  m.onDidUpdate((u) => out.push(u));
  return out;
}

const counts = (rows: TreeNode[]) => rows.map((r) => (r as LocationNode).members.size);
const sites = (rows: TreeNode[]) => rows.map((r) => (r as LocationNode).site?.line ?? (r as LocationNode).key);
const rowKeys = (u: ModelUpdate | undefined) => (u?.tree === 'all' ? 'all' : u?.tree?.map((r: TreeNode) => r.key));
/** The rows an update redraws, in key order ('all': the whole tree). */
const sortedRowKeys = (u: ModelUpdate | undefined) => {
  const keys = rowKeys(u);
  return Array.isArray(keys) ? [...keys].sort() : keys;
};

describe('Tasks view grouped by location', () => {
  it('one row per await site and what is awaited there, the largest first, each expanding to its tasks', () => {
    const m = byLocation([...crawler(3, 50), task(90, { name: 'fetch', state: 'ready' }), task(91, { name: 'old', state: 'done' })]);
    const rows = m.children();
    expect(rows.every((r) => r.kind === 'location')).toBe(true);
    expect(counts(rows)).toEqual([50, 3, 1, 1, 1]);
    expect(sites(rows).slice(0, 3)).toEqual([30, 22, 40]);
    // Other tasks by state, finished ones last.
    expect(rows.slice(3).map((r) => r.key)).toEqual(['lstate\u241fready', 'lstate\u241fdone']);
    const members = m.children(rows[1]);
    expect(members.map((r) => r.key)).toEqual(['t2', 't3', 't4']);
    expect(m.parent(members[0]!)).toBe(rows[1]);
    expect(m.parent(rows[1]!)).toBeUndefined();
    // A task's row does not expand here: its children are in their own groups.
    expect(m.hasChildren(m.children(rows[2]!)[0]!)).toBe(false);
  });

  it('counts follow the tasks as they move from one site to another, update after update', () => {
    const m = byLocation(crawler(50, 3));
    const got = collect(m);
    const [at22, at30] = m.children() as LocationNode[];
    m.children(at22); // both groups expanded
    m.children(at30);
    expect(counts([at22!, at30!])).toEqual([50, 3]);

    // Ten workers move from line 22 to line 30: those two rows change (the same row objects, with the
    // new counts), the order holds, so nothing else is redrawn.
    m.applyDelta(delta([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((id) => movedOn(id))));
    m.flushNow();
    expect(sortedRowKeys(got[0])).toEqual([at22!.key, at30!.key].sort());
    expect(counts(m.children())).toEqual([40, 13, 1]);
    expect(m.children()[0]).toBe(at22);
    // The moved tasks are listed in their new group, after the ones that were there first.
    expect(m.children(at30!).map((r) => r.key).slice(0, 4)).toEqual(['t52', 't53', 't54', 't2']);

    // Thirty more: line 30 is now the larger, and comes first: the top level is redrawn.
    m.applyDelta(delta(Array.from({ length: 30 }, (_, i) => movedOn(12 + i))));
    m.flushNow();
    expect(rowKeys(got[1])).toBe('all');
    expect(sites(m.children()).slice(0, 2)).toEqual([30, 22]);
    expect(counts(m.children())).toEqual([43, 10, 1]);

    // A change that keeps a task in its group redraws its row alone (if shown).
    m.children(m.children()[0]!);
    m.applyDelta(delta([movedOn(2, 9)]));
    m.flushNow();
    expect(rowKeys(got[2])).toEqual(['t2']);

    // The last ten leave line 22 for good (running): its group goes, a "running" group comes.
    m.applyDelta(delta(Array.from({ length: 10 }, (_, i) => task(42 + i, { name: `worker-${42 + i}`, parentId: 1, state: 'running', steps: 2 }))));
    m.flushNow();
    expect(rowKeys(got[3])).toBe('all');
    expect(sites(m.children())).toEqual([30, 'lstate\u241frunning', 40]);
    expect(counts(m.children())).toEqual([43, 10, 1]);
  });

  it('a group of 100,000 tasks lists one page, and an update costs what changed', () => {
    const m = byLocation(crawler(100_000, 5), { pageSize: 500 });
    const [big] = m.children() as LocationNode[];
    const page = m.children(big);
    expect(page).toHaveLength(501);
    expect(page[500]).toMatchObject({ kind: 'more', hidden: 99_500 });
    m.showMore(page[500] as MoreNode);
    expect(m.children(big)).toHaveLength(1001);
    const got = collect(m);
    // Nothing may walk every task during an update: only the changed ones are looked up.
    const walks = (['values', 'keys', 'entries', 'forEach', Symbol.iterator] as const).map((k) => vi.spyOn(m.store.tasks, k as 'values'));
    m.applyDelta(delta(Array.from({ length: 1000 }, (_, i) => movedOn(1000 + i))));
    m.flushNow();
    for (const w of walks) expect(w).not.toHaveBeenCalled();
    for (const w of walks) w.mockRestore();
    expect(sortedRowKeys(got[0])).toEqual([big!.key, m.children()[1]!.key].sort());
    expect(counts(m.children())).toEqual([99_000, 1005, 1]);
  });

  it('reveals a task inside its group, widening the group’s page', () => {
    const m = byLocation(crawler(1200, 1), { pageSize: 500 });
    const node = m.prepareReveal(1100);
    expect(node).toMatchObject({ kind: 'task', taskId: 1100 });
    const group = m.parent(node!)!;
    expect(group.kind).toBe('location');
    expect(m.children(group).some((r) => r.key === 't1100')).toBe(true);
  });

  it('hides finished tasks’ groups on request, and goes back to the creator tree', () => {
    const m = byLocation([...crawler(2, 0), task(91, { name: 'old', state: 'done' })]);
    expect(counts(m.children())).toEqual([2, 1, 1]);
    m.setHideFinished(true);
    expect(counts(m.children())).toEqual([2, 1]);
    m.setGroupBy('creator');
    const [main] = m.children();
    expect(main).toMatchObject({ kind: 'task', taskId: 1 });
    expect((m.children(main)[0] as GroupNode).count).toBe(2);
  });
});

describe('Show only the tasks suspended at one site', () => {
  it('grouped by location: only that site’s group', () => {
    const m = byLocation(crawler(50, 3));
    m.setSiteFilter({ file: FILE, line: 30 });
    expect(counts(m.children())).toEqual([3]);
    // A task arriving there joins it; one leaving goes away.
    m.applyDelta(delta([movedOn(2)]));
    m.flushNow();
    expect(counts(m.children())).toEqual([4]);
    m.applyDelta(delta([task(52, { name: 'worker-52', parentId: 1, state: 'running' })]));
    m.flushNow();
    expect(counts(m.children())).toEqual([3]);
    m.setSiteFilter(null);
    expect(counts(m.children())).toEqual([49, 3, 1, 1]);
  });

  it('in the creator tree: the site’s tasks under their creators, kept current as tasks move', () => {
    const tasks = [...crawler(4, 2), waiting(20, 2, 'sub', FILE, 30)];
    const m = new TaskTreeModel({ intervalMs: 0 });
    m.applySnapshot(snapshot(tasks));
    m.setSiteFilter({ file: 'crawler.ts', line: 30 });
    const [main] = m.children();
    expect(main).toMatchObject({ taskId: 1 });
    // worker-2 is at line 22 but holds sub, which is at line 30; the two at line 30 fold together.
    const rows = m.children(main);
    expect(rows.map((r) => r.kind)).toEqual(['task', 'group']);
    expect(rows[0]).toMatchObject({ taskId: 2 });
    expect((rows[1] as GroupNode).count).toBe(2);
    expect(m.children(rows[0]).map((r) => r.key)).toEqual(['t20']);
    // sub moves away: worker-2 has nothing left to hold, and goes.
    m.applyDelta(delta([task(20, { name: 'sub', parentId: 2, state: 'ready' })]));
    m.flushNow();
    expect(m.children(main).map((r) => r.kind)).toEqual(['group']);
    m.setSiteFilter(null);
    // worker-2 (holding sub), the three other workers at line 22, the two at line 30.
    expect(m.children(main).map((r) => (r.kind === 'group' ? r.count : r.key))).toEqual(['t2', 3, 2]);
  });
});
