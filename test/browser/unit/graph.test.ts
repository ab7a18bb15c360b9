// The await graph's data and layout, without a browser.
import { describe, it, expect } from 'vitest';
import { buildAwaitGraph } from '../../../webview/src/graph/awaitGraph';
import { layoutGraph, DEFAULT_LAYOUT, DOWNWARD_LAYOUT } from '../../../webview/src/graph/layout';
import { chooseLayout, downwardOptions, type FitLimits } from '../../../webview/src/graph/direction';
import { InspectorModel } from '../../../webview/src/model/inspectorModel';
import type { TaskRecord, ResourceRecord, Await } from '../../../runtime/src/protocol/wire';
import { loadFixture } from '../helpers/browser';

const rec = (id: number, name: string, awaiting?: Await): TaskRecord => ({ id, name, state: 'suspended', parentId: 0, since: 0, steps: 1, cancelling: 0, awaiting });

function model(tasks: TaskRecord[], resources: ResourceRecord[] = []): InspectorModel {
  const m = new InspectorModel();
  m.apply({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: 0, loop: null, tasks, resources } });
  return m;
}

describe('buildAwaitGraph', () => {
  it('on the recorded deadlock: waiter → lock → holder, both ways, every step on the cycle', () => {
    const m = new InspectorModel();
    for (const msg of loadFixture('inspector-demo').messages) m.apply(msg);
    const g = buildAwaitGraph(m);
    const name = (key: string) => g.nodes.find((n) => n.key === key)!.label;
    const cycleEdges = g.edges.filter((e) => e.onCycle).map((e) => `${name(e.from)} -${e.kind}-> ${name(e.to)}`).sort();
    expect(cycleEdges).toEqual([
      'accounts -holds-> transfer-a',
      'ledger -holds-> transfer-b',
      'transfer-a -waits-> ledger',
      'transfer-b -waits-> accounts',
    ]);
    expect(g.cycles).toHaveLength(1);
    expect(g.nodes.filter((n) => n.onCycle).map((n) => n.label).sort()).toEqual(['transfer-a', 'transfer-b']);
    // The Event nobody sets: its waiter is stuck.
    const img = g.nodes.find((n) => n.label === '<img src=x onerror=alert(1)>')!;
    expect(img.stuck).toBe('no task left can wake it');
    expect(img.detail).toBe('Event config-ready (not set)');
  });

  it('a Queue.join: the task says how many items are unfinished, and so does the queue beside it (not just "0 items")', () => {
    const join: Await = { kind: 'queue.join', resourceId: 9, size: 0, maxsize: 0, unfinished: 1 };
    const g = buildAwaitGraph(model([rec(1, 'main', join)], [{ id: 9, kind: 'queue', name: 'orders', size: 0, maxsize: 0, unfinished: 1, waiterIds: [1] }]));
    expect(g.nodes.map((n) => [n.label, n.detail])).toEqual([
      ['main', 'Queue.join on orders: 1 unfinished'],
      ['orders', '0 items, 1 unfinished, 1 waiting'],
    ]);
  });

  it('a task awaiting itself through a lock it holds is a cycle of one', () => {
    const g = buildAwaitGraph(model([rec(1, 'self', { kind: 'lock', resourceId: 7, holderId: 1 })], [{ id: 7, kind: 'lock', name: 'L', holderId: 1, waiterIds: [1] }]));
    expect(g.cycles).toEqual([[1]]);
    expect(g.edges.map((e) => [e.from, e.to, e.onCycle])).toEqual([
      ['t:1', 'r:7', true],
      ['r:7', 't:1', true],
    ]);
  });

  it('folds identical siblings but never a task on a cycle or a hub', () => {
    const workers = Array.from({ length: 10 }, (_, i) => rec(i + 2, `worker-${i}`, { kind: 'sleep', deadline: 5 }));
    const g = buildAwaitGraph(model([rec(1, 'main', { kind: 'gather', taskIds: workers.map((w) => w.id) }), ...workers]));
    expect(g.nodes.map((n) => [n.label, n.count])).toEqual([
      ['main', 1],
      ['worker × 10', 10],
    ]);
    expect(g.nodes[1].ids).toEqual(workers.map((w) => w.id));
    expect(g.edges).toEqual([{ from: 't:1', to: 't:2', kind: 'awaits', onCycle: false }]);
    expect(g.hidden).toBe(0);
  });

  it('a filter keeps the matches and their neighbours', () => {
    const m = model([rec(1, 'a', { kind: 'task', taskId: 2 }), rec(2, 'b', { kind: 'task', taskId: 3 }), rec(3, 'c', { kind: 'sleep', deadline: 1 })]);
    expect(buildAwaitGraph(m, { filter: 'B' }).nodes.map((n) => n.label)).toEqual(['a', 'b', 'c']);
    const onlyA = buildAwaitGraph(m, { filter: 'a' });
    expect(onlyA.nodes.map((n) => n.label)).toEqual(['a', 'b']);
    expect(onlyA.hidden).toBe(1);
  });
});

describe('layoutGraph', () => {
  it('puts each node right of what waits on it; the edge closing a cycle is the back edge', () => {
    const l = layoutGraph({ keys: ['m', 'a', 'L1', 'b', 'L2'], edges: [{ from: 'm', to: 'a' }, { from: 'a', to: 'L1' }, { from: 'L1', to: 'b' }, { from: 'b', to: 'L2' }, { from: 'L2', to: 'a' }] });
    const x = (k: string) => l.pos.get(k)!.x;
    expect(x('m')).toBeLessThan(x('a'));
    expect(x('a')).toBeLessThan(x('L1'));
    expect(x('L1')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('L2'));
    expect([...l.back]).toEqual([4]);
    expect([...l.long]).toEqual([]);
  });

  it('no two nodes overlap, groups stack, lone nodes go in a grid, tall columns wrap', () => {
    const keys = ['hub', ...Array.from({ length: 40 }, (_, i) => `w${i}`), 'x', 'y', 'z'];
    const edges = Array.from({ length: 40 }, (_, i) => ({ from: 'hub', to: `w${i}` }));
    const l = layoutGraph({ keys, edges });
    const boxes = [...l.pos.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const apart = Math.abs(boxes[i].x - boxes[j].x) >= DEFAULT_LAYOUT.nodeWidth || Math.abs(boxes[i].y - boxes[j].y) >= DEFAULT_LAYOUT.nodeHeight;
        expect(apart, `${i} and ${j} overlap`).toBe(true);
      }
    }
    // 40 workers in columns of at most 16: three columns.
    expect(new Set(Array.from({ length: 40 }, (_, i) => l.pos.get(`w${i}`)!.x)).size).toBe(3);
    // Lone nodes below the group, side by side.
    expect(l.pos.get('x')!.y).toBeGreaterThan(Math.max(...Array.from({ length: 40 }, (_, i) => l.pos.get(`w${i}`)!.y)));
    expect(l.pos.get('x')!.y).toBe(l.pos.get('z')!.y);
  });

  it('downwards: each node below what waits on it, wide rows wrap, nothing overlaps', () => {
    const deadlock = { keys: ['m', 'a', 'L1', 'b', 'L2'], edges: [{ from: 'm', to: 'a' }, { from: 'a', to: 'L1' }, { from: 'L1', to: 'b' }, { from: 'b', to: 'L2' }, { from: 'L2', to: 'a' }] };
    const l = layoutGraph(deadlock, DOWNWARD_LAYOUT);
    const y = (k: string) => l.pos.get(k)!.y;
    expect(y('m')).toBeLessThan(y('a'));
    expect(y('a')).toBeLessThan(y('L1'));
    expect(y('L1')).toBeLessThan(y('b'));
    expect(y('b')).toBeLessThan(y('L2'));
    expect([...l.back]).toEqual([4]);
    // One node a row: as wide as a node, five rows tall.
    expect(l.width).toBe(DOWNWARD_LAYOUT.nodeWidth);
    expect(l.height).toBe(5 * DOWNWARD_LAYOUT.nodeHeight + 4 * DOWNWARD_LAYOUT.rowGap);

    // A gather of 40 in rows of at most 3: 14 rows under the hub, none overlapping.
    const keys = ['hub', ...Array.from({ length: 40 }, (_, i) => `w${i}`)];
    const gather = layoutGraph({ keys, edges: keys.slice(1).map((k) => ({ from: 'hub', to: k })) }, { ...DOWNWARD_LAYOUT, maxPerLayer: 3 });
    const ws = keys.slice(1).map((k) => gather.pos.get(k)!);
    expect(new Set(ws.map((p) => p.y)).size).toBe(14);
    expect(new Set(ws.map((p) => p.x)).size).toBe(3);
    expect(Math.min(...ws.map((p) => p.y))).toBeGreaterThan(gather.pos.get('hub')!.y);
    const boxes = [...gather.pos.values()];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const apart = Math.abs(boxes[i].x - boxes[j].x) >= DOWNWARD_LAYOUT.nodeWidth || Math.abs(boxes[i].y - boxes[j].y) >= DOWNWARD_LAYOUT.nodeHeight;
        expect(apart, `${i} and ${j} overlap`).toBe(true);
      }
    }
  });

  it('refuses an edge to a node it was not given', () => {
    expect(() => layoutGraph({ keys: ['a'], edges: [{ from: 'a', to: 'b' }] })).toThrow('layoutGraph: edge a -> b names a node that is not in the graph');
  });
});

describe('chooseLayout', () => {
  const limits: FitLimits = { readable: 0.8, max: 1.25, pad: 24 };
  const chain = { keys: ['m', 'a', 'L1', 'b', 'L2'], edges: [{ from: 'm', to: 'a' }, { from: 'a', to: 'L1' }, { from: 'L1', to: 'b' }, { from: 'b', to: 'L2' }, { from: 'L2', to: 'a' }] };

  it('keeps columns while they fit at a readable scale', () => {
    expect(chooseLayout(chain, { width: 1100, height: 330 }, limits).options.direction).toBe('right');
    // Two nodes fit a narrow panel side by side.
    expect(chooseLayout({ keys: ['a', 'b'], edges: [{ from: 'a', to: 'b' }] }, { width: 560, height: 400 }, limits).options.direction).toBe('right');
  });

  it('goes downwards in a panel too narrow for the columns, unless that fits worse', () => {
    expect(chooseLayout(chain, { width: 420, height: 390 }, limits).options.direction).toBe('down');
    // Short and wide: rows would need more room than columns.
    expect(chooseLayout(chain, { width: 800, height: 200 }, limits).options.direction).toBe('right');
  });

  it('rows take as many nodes side by side as the width holds at a readable scale', () => {
    expect(downwardOptions({ width: 420 }, limits).maxPerLayer).toBe(1);
    expect(downwardOptions({ width: 560 }, limits).maxPerLayer).toBe(2);
    expect(downwardOptions({ width: 700 }, limits).maxPerLayer).toBe(3);
    expect(downwardOptions({ width: 100_000 }, limits).maxPerLayer).toBe(DOWNWARD_LAYOUT.maxPerLayer);
  });
});
