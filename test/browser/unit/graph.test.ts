// The await graph's data and layout, without a browser.
import { describe, it, expect } from 'vitest';
import { buildAwaitGraph } from '../../../webview/src/graph/awaitGraph';
import { layoutGraph, DEFAULT_LAYOUT } from '../../../webview/src/graph/layout';
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

  it('refuses an edge to a node it was not given', () => {
    expect(() => layoutGraph({ keys: ['a'], edges: [{ from: 'a', to: 'b' }] })).toThrow('layoutGraph: edge a -> b names a node that is not in the graph');
  });
});
