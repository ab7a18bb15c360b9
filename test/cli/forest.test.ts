import { describe, expect, it } from 'vitest';
import { buildForest, countFolded, findCycles, findStuck, foldForest, namePattern, type FoldedNode, type TaskNode } from '../../runtime/src/protocol/forest';
import type { TaskRecord } from '../../runtime/src/protocol/wire';
import { lock, resource, task, waiting } from './records';

/** The forest as nested [id, children] for comparison. */
const shape = (nodes: TaskNode[]): unknown[] => nodes.map((n) => (n.children.length ? [n.task.id, shape(n.children)] : n.task.id));
/** The folded forest as "name×count" strings nested. */
const folded = (nodes: FoldedNode[]): unknown[] => nodes.map((n) => {
  const label = n.ids.length > 1 ? `${n.pattern}×${n.ids.length}` : n.task.name;
  return n.children.length ? [label, folded(n.children)] : label;
});

describe('buildForest', () => {
  it('nests tasks under their creators, in id order', () => {
    const tasks = [task(3, 'c', 'ready', { parentId: 1 }), task(1, 'main'), task(2, 'b', 'ready', { parentId: 1 }), task(4, 'd', 'ready', { parentId: 3 })];
    expect(shape(buildForest(tasks))).toEqual([[1, [2, [3, [4]]]]]);
  });

  it('a task whose creator is forgotten or unknown is a root', () => {
    const tasks = [task(5, 'orphan', 'ready', { parentId: 2 }), task(1, 'main'), task(6, 'child', 'ready', { parentId: 5 })];
    expect(shape(buildForest(tasks))).toEqual([1, [5, [6]]]);
  });

  it('a parentId loop (corrupt records) still shows every task once, rooted at its lowest id', () => {
    const tasks = [task(2, 'a', 'ready', { parentId: 3 }), task(3, 'b', 'ready', { parentId: 2 }), task(4, 'c', 'ready', { parentId: 3 }), task(7, 'self', 'ready', { parentId: 7 })];
    expect(shape(buildForest(tasks))).toEqual([[2, [[3, [4]]]], 7]);
  });

  it('a deep chain does not overflow', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => task(i + 1, `t${i}`, 'ready', { parentId: i }));
    let depth = 0;
    for (let n: TaskNode | undefined = buildForest(tasks)[0]; n; n = n.children[0]) depth++;
    expect(depth).toBe(20_000);
  });
});

describe('findCycles', () => {
  it('two tasks each holding the lock the other wants (the deadlock example)', () => {
    const tasks = [
      waiting(1, 'main', { kind: 'task', taskId: 2 }),
      waiting(2, 'transfer-a', { kind: 'lock', resourceId: 20, holderId: 3, position: 0 }, { parentId: 1 }),
      waiting(3, 'transfer-b', { kind: 'lock', resourceId: 21, position: 0 }, { parentId: 1 }), // holder only on the resource
    ];
    expect(findCycles(tasks, [lock(20, 'ledger', 3), lock(21, 'accounts', 2)])).toEqual([[2, 3]]);
  });

  it('a task awaiting a task that awaits it back, and a three-task ring, rotated to the lowest id', () => {
    const tasks = [
      waiting(5, 'a', { kind: 'task', taskId: 6 }),
      waiting(6, 'b', { kind: 'task', taskId: 5 }),
      waiting(9, 'x', { kind: 'task', taskId: 7 }),
      waiting(7, 'y', { kind: 'task', taskId: 8 }),
      waiting(8, 'z', { kind: 'task', taskId: 9 }),
    ];
    expect(findCycles(tasks)).toEqual([
      [5, 6],
      [7, 8, 9],
    ]);
  });

  it('re-acquiring a lock one holds is a cycle of one', () => {
    expect(findCycles([waiting(4, 'greedy', { kind: 'lock', resourceId: 1, holderId: 4 })])).toEqual([[4]]);
  });

  it('through a gather (all must finish) but not through wait (any may do), nor with a timeout', () => {
    const viaGather = [waiting(1, 'parent', { kind: 'gather', taskIds: [2, 3] }), waiting(2, 'kid', { kind: 'task', taskId: 1 }), task(3, 'other', 'ready')];
    expect(findCycles(viaGather)).toEqual([[1, 2]]);
    const viaWait = [waiting(1, 'parent', { kind: 'wait', taskIds: [2, 3] }), waiting(2, 'kid', { kind: 'task', taskId: 1 }), task(3, 'other', 'ready')];
    expect(findCycles(viaWait)).toEqual([]);
    const timed = [waiting(1, 'parent', { kind: 'gather', taskIds: [2], deadline: 99 }), waiting(2, 'kid', { kind: 'task', taskId: 1 })];
    expect(findCycles(timed)).toEqual([]);
  });

  it('a chain into a cycle: only the cycle is reported; a task that is not suspended breaks the edge', () => {
    const tasks = [waiting(1, 'in', { kind: 'task', taskId: 2 }), waiting(2, 'a', { kind: 'task', taskId: 3 }), waiting(3, 'b', { kind: 'task', taskId: 2 })];
    expect(findCycles(tasks)).toEqual([[2, 3]]);
    const stale = [waiting(2, 'a', { kind: 'task', taskId: 3 }), task(3, 'b', 'ready', { awaiting: { kind: 'task', taskId: 2 } })];
    expect(findCycles(stale)).toEqual([]);
  });

  it('two cycles sharing a task (a figure eight): every member is on a reported cycle', () => {
    const tasks = [
      waiting(1, 'hub', { kind: 'gather', taskIds: [2, 3] }),
      waiting(2, 'left', { kind: 'task', taskId: 1 }),
      waiting(3, 'right', { kind: 'task', taskId: 1 }),
    ];
    const cycles = findCycles(tasks);
    expect(cycles).toEqual([
      [1, 2],
      [1, 3],
    ]);
  });

  it('an edge to a task not in the set is ignored; a long acyclic chain is fine', () => {
    expect(findCycles([waiting(1, 'a', { kind: 'task', taskId: 42 })])).toEqual([]);
    const chain = Array.from({ length: 20_000 }, (_, i) => waiting(i + 1, `t${i}`, { kind: 'task', taskId: i + 2 }));
    expect(findCycles(chain)).toEqual([]);
    chain[chain.length - 1] = waiting(20_000, 'last', { kind: 'task', taskId: 1 });
    expect(findCycles(chain)[0]).toHaveLength(20_000);
  });
});

describe('namePattern', () => {
  it.each([
    ['worker-17', 'worker'],
    ['Task-3', 'Task'],
    ['fetch #3', 'fetch'],
    ['page_12', 'page'],
    ['42', '42'],
    ['transfer-a', 'transfer-a'],
    ['v2worker', 'v2worker'],
  ])('%s → %s', (name, pattern) => expect(namePattern(name)).toBe(pattern));
});

describe('foldForest', () => {
  const q = (id: number, name: string, resourceId = 9, more: Partial<TaskRecord> = {}) =>
    waiting(id, name, { kind: 'queue.get', resourceId, size: 0, maxsize: 0 }, { parentId: 1, ...more });

  it('folds 500 identical workers into one group, shown where the first one was', () => {
    const tasks = [task(1, 'main'), task(2, 'producer', 'ready', { parentId: 1 }), ...Array.from({ length: 500 }, (_, i) => q(10 + i, `worker-${i + 1}`)), task(999, 'logger', 'ready', { parentId: 1 })];
    const f = foldForest(buildForest(tasks));
    expect(folded(f)).toEqual([['main', ['producer', 'worker×500', 'logger']]]);
    expect(f[0].children[1].ids).toHaveLength(500);
    expect(f[0].children[1].task.name).toBe('worker-1');
    expect(countFolded(f)).toBe(503);
  });

  it('does not fold across a different state, await kind, awaited resource or error', () => {
    const tasks = [
      task(1, 'main'),
      q(2, 'w-1'),
      q(3, 'w-2', 8), // another queue
      waiting(4, 'w-3', { kind: 'sleep', deadline: 5 }, { parentId: 1 }),
      task(5, 'w-4', 'ready', { parentId: 1 }),
      task(6, 'w-5', 'failed', { parentId: 1, error: { name: 'TypeError', message: 'a' } }),
      task(7, 'w-6', 'failed', { parentId: 1, error: { name: 'RangeError', message: 'a' } }),
      task(8, 'w-7', 'failed', { parentId: 1, error: { name: 'RangeError', message: 'different message' } }),
    ];
    // Only the two RangeErrors fold: the error's name counts, its message does not.
    expect(folded(foldForest(buildForest(tasks)))).toEqual([['main', ['w-1', 'w-2', 'w-3', 'w-4', 'w-5', 'w×2']]]);
  });

  it('folds whole subtrees only when their children are identical too (counts included)', () => {
    const tasks = [
      task(1, 'main'),
      q(2, 'worker-1'),
      q(3, 'worker-2'),
      q(4, 'worker-3'),
      waiting(10, 'fetch-1', { kind: 'sleep', deadline: 9 }, { parentId: 2 }),
      waiting(11, 'fetch-2', { kind: 'sleep', deadline: 9 }, { parentId: 3 }),
      waiting(12, 'fetch-3', { kind: 'sleep', deadline: 9 }, { parentId: 4 }),
      waiting(13, 'fetch-4', { kind: 'sleep', deadline: 9 }, { parentId: 4 }), // worker-3 has two
    ];
    expect(folded(foldForest(buildForest(tasks)))).toEqual([['main', [['worker×2', ['fetch-1']], ['worker-3', ['fetch×2']]]]]);
    expect(countFolded(foldForest(buildForest(tasks)))).toBe(8);
  });

  it('keeps flagged tasks (a cycle, a stuck task) on their own, and honours minCount', () => {
    const tasks = [task(1, 'main'), q(2, 'worker-1'), q(3, 'worker-2'), q(4, 'worker-3')];
    expect(folded(foldForest(buildForest(tasks), { keep: (t) => t.id === 3 }))).toEqual([['main', ['worker×2', 'worker-2']]]);
    expect(folded(foldForest(buildForest(tasks), { minCount: 4 }))).toEqual([['main', ['worker-1', 'worker-2', 'worker-3']]]);
  });

  it('distinguish keeps apart siblings that differ in what the caller adds (stuck or not)', () => {
    const tasks = [task(1, 'main'), q(2, 'worker-1'), q(3, 'worker-2'), q(4, 'worker-3'), q(5, 'worker-4')];
    const stuck = new Set([3, 5]);
    expect(folded(foldForest(buildForest(tasks), { distinguish: (t) => (stuck.has(t.id) ? 'stuck' : '') }))).toEqual([['main', ['worker×2', 'worker×2']]]);
    const f = foldForest(buildForest(tasks), { distinguish: (t) => (stuck.has(t.id) ? 'stuck' : '') });
    expect(f[0].children.map((c) => c.ids)).toEqual([
      [2, 4],
      [3, 5],
    ]);
  });

  it('folds identical roots too', () => {
    expect(folded(foldForest(buildForest([task(1, 'Task-1', 'ready'), task(2, 'Task-2', 'ready')])))).toEqual(['Task×2']);
  });
});

describe('findStuck', () => {
  const opts = { now: 10_000 };

  it('the deadlock: both transfers on the cycle, main waiting on a stuck task', () => {
    const tasks = [
      waiting(1, 'main', { kind: 'task', taskId: 2 }),
      waiting(2, 'transfer-a', { kind: 'lock', resourceId: 20, holderId: 3 }, { parentId: 1 }),
      waiting(3, 'transfer-b', { kind: 'lock', resourceId: 21, holderId: 2 }, { parentId: 1 }),
    ];
    expect(findStuck(tasks, [], opts)).toEqual([
      { taskId: 1, reason: 'waits-on-stuck', text: 'waits for transfer-a, which is stuck' },
      { taskId: 2, reason: 'cycle', text: 'await cycle transfer-a → transfer-b → transfer-a' },
      { taskId: 3, reason: 'cycle', text: 'await cycle transfer-a → transfer-b → transfer-a' },
    ]);
  });

  it('the lost wakeup: an Event nobody is left to set', () => {
    const tasks = [
      waiting(1, 'main', { kind: 'task', taskId: 3 }),
      task(2, 'load-config', 'done', { parentId: 1 }),
      waiting(3, 'server', { kind: 'event', resourceId: 5 }, { parentId: 1 }),
    ];
    const stuck = findStuck(tasks, [resource(5, 'event', 'config-ready', { value: 0 })], opts);
    expect(stuck.map((s) => [s.taskId, s.reason])).toEqual([
      [1, 'waits-on-stuck'],
      [3, 'no-waker'],
    ]);
    expect(stuck[1].text).toBe('no task left can wake it');
  });

  it('nothing is stuck while some task may still run: ready, sleeping, or awaiting outside code', () => {
    const base = [waiting(1, 'main', { kind: 'task', taskId: 3 }), waiting(3, 'server', { kind: 'event', resourceId: 5 }, { parentId: 1 })];
    for (const other of [
      task(2, 'loader', 'ready'),
      task(2, 'loader', 'running'),
      waiting(2, 'loader', { kind: 'sleep', deadline: 20_000 }),
      waiting(2, 'loader', { kind: 'promise', label: 'fetch' }),
      waiting(2, 'loader', { kind: 'future', futureId: 3 }),
      waiting(2, 'loader', { kind: 'gather', taskIds: [], futureIds: [4] }),
      waiting(2, 'loader', { kind: 'task', taskId: 99 }), // a task we do not know
    ]) {
      expect(findStuck([...base, other], [], opts), other.state + JSON.stringify(other.awaiting)).toEqual([]);
    }
  });

  it('a lock whose holder finished without releasing it', () => {
    const tasks = [task(2, 'careless', 'failed'), waiting(3, 'next', { kind: 'lock', resourceId: 7 }), task(4, 'busy', 'ready')];
    expect(findStuck(tasks, [lock(7, 'db', 2)], opts)).toEqual([{ taskId: 3, reason: 'holder-gone', text: 'Lock held by careless, which has failed without releasing it' }]);
  });

  it('a gather is stuck when any pending task is; a wait only when all are', () => {
    const cycle = [waiting(2, 'a', { kind: 'task', taskId: 3 }), waiting(3, 'b', { kind: 'task', taskId: 2 }), waiting(4, 'sleeper', { kind: 'sleep', deadline: 20_000 })];
    const g = findStuck([...cycle, waiting(1, 'g', { kind: 'gather', taskIds: [2, 4] })], [], opts);
    expect(g.map((s) => s.taskId)).toEqual([1, 2, 3]);
    const w = findStuck([...cycle, waiting(1, 'w', { kind: 'wait', taskIds: [2, 4] })], [], opts);
    expect(w.map((s) => s.taskId)).toEqual([2, 3]);
    const wAll = findStuck([...cycle, waiting(1, 'w', { kind: 'wait', taskIds: [2, 3] })], [], opts);
    expect(wAll.map((s) => s.taskId)).toEqual([1, 2, 3]);
  });

  it('consumers on an empty queue are stuck once the producer is gone, not while it sleeps', () => {
    const consumers = [waiting(2, 'consumer-1', { kind: 'queue.get', resourceId: 9, size: 0, maxsize: 5 }), waiting(3, 'consumer-2', { kind: 'queue.get', resourceId: 9, size: 0, maxsize: 5 })];
    expect(findStuck([...consumers, waiting(4, 'producer', { kind: 'sleep', deadline: 10_500 })], [], opts)).toEqual([]);
    expect(findStuck([...consumers, task(4, 'producer', 'done')], [], opts).map((s) => s.reason)).toEqual(['no-waker', 'no-waker']);
  });

  it('no progress for idleMs: long-suspended tasks with nothing timed ahead', () => {
    const tasks = [
      waiting(1, 'waiter', { kind: 'future', futureId: 1 }, { since: 1_000 }),
      waiting(2, 'fresh', { kind: 'future', futureId: 2 }, { since: 9_500 }),
      waiting(3, 'napper', { kind: 'sleep', deadline: 60_000 }, { since: 0 }),
      waiting(4, 'overdue', { kind: 'sleep', deadline: 5_000 }, { since: 0 }),
      task(5, 'busy', 'ready', { since: 0 }),
    ];
    expect(findStuck(tasks, [], { now: 10_000, idleMs: 2_000 })).toEqual([
      { taskId: 1, reason: 'no-progress', text: 'no progress for 9.0 s' },
      { taskId: 4, reason: 'no-progress', text: 'no progress for 10 s' },
    ]);
    expect(findStuck(tasks, [], { now: 10_000 })).toEqual([]);
  });

  it('nothing live, nothing stuck', () => {
    expect(findStuck([task(1, 'main', 'done')], [], opts)).toEqual([]);
    expect(findStuck([], [], opts)).toEqual([]);
  });
});
