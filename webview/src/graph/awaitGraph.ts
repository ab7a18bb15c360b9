/**
 * The await graph as data: who awaits whom. Nodes are tasks and the resources they wait on; edges
 * run from the waiter to what it waits for — `awaits` (a task, or each pending task of a gather /
 * wait / taskGroup...), `waits` (a task on a Lock, Event, Queue...), and `holds` (from a Lock to the
 * task holding it, so "A waits for lock L held by B" reads A → L → B). Edges on an await cycle
 * (forest.ts's findCycles) are marked, and tasks nothing can wake (findStuck) carry the reason.
 *
 * Pure: no DOM. A program with 100,000 tasks cannot be drawn usefully, so at most `maxNodes` nodes
 * are kept: those on cycles first, then connected groups (largest first), then lone tasks.
 */
import { describeAwait, describeState, isFinishedState } from '../../../runtime/src/protocol/describe';
import { findCycles, findStuck } from '../../../runtime/src/protocol/forest';
import type { Frame, ResourceRecord, TaskRecord } from '../../../runtime/src/protocol/wire';
import type { InspectorModel } from '../model/inspectorModel';

export const MAX_GRAPH_NODES = 300;

export interface GraphNode {
  /** `t:<id>` for a task, `r:<id>` for a resource. */
  key: string;
  kind: 'task' | 'resource';
  id: number;
  label: string;
  /** Second line: what it awaits, its state, or the resource's state. */
  detail: string;
  /** A task's state ('unknown' for a task the panel has no record of); a resource's kind. */
  state: string;
  onCycle: boolean;
  /** Why nothing can wake it, when stuck. */
  stuck?: string;
  /** Where a click takes the editor: the suspension site, else the creation site. */
  frame?: Frame;
  /** Which of the two `frame` is. */
  frameIs?: 'suspension' | 'creation';
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'awaits' | 'waits' | 'holds';
  onCycle: boolean;
}

export interface AwaitGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The cycles, as task ids in wait order. */
  cycles: number[][];
  /** Nodes left out (over maxNodes, or not matching the filter). */
  hidden: number;
}

export interface GraphOptions {
  maxNodes?: number;
  /** Keep only nodes whose label contains this (case-insensitive), and their neighbours. */
  filter?: string;
}

const taskKey = (id: number) => `t:${id}`;
const resKey = (id: number) => `r:${id}`;

function resourceDetail(r: ResourceRecord, nameOf: (id: number) => string): string {
  const waiting = r.waiterIds.length > 0 ? `${r.waiterIds.length} waiting` : 'no waiters';
  switch (r.kind) {
    case 'lock':
      return r.holderId !== undefined ? `held by ${nameOf(r.holderId)}, ${waiting}` : `free, ${waiting}`;
    case 'semaphore':
      return `value ${r.value ?? '?'}, ${waiting}`;
    case 'event':
      return `${r.value ? 'set' : 'not set'}, ${waiting}`;
    case 'queue':
      return `${r.size ?? '?'}${r.maxsize ? `/${r.maxsize}` : ''} items, ${waiting}`;
    default:
      return waiting;
  }
}

export function buildAwaitGraph(model: InspectorModel, options: GraphOptions = {}): AwaitGraph {
  const maxNodes = options.maxNodes ?? MAX_GRAPH_NODES;
  const ctx = model.describeContext();
  const live: TaskRecord[] = [];
  for (const t of model.tasks.values()) if (!isFinishedState(t.state)) live.push(t);
  live.sort((a, b) => a.id - b.id);

  const cycles = findCycles(live, model.resources.values());
  const stuck = new Map(findStuck(live, model.resources.values(), { now: model.now, cycles }).map((s) => [s.taskId, s.text]));

  // Cycle steps: (a, b) means a waits for b on a cycle.
  const cycleStep = new Set<string>();
  for (const c of cycles) for (let i = 0; i < c.length; i++) cycleStep.add(`${c[i]}>${c[(i + 1) % c.length]}`);

  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const edgeSeen = new Set<string>();
  const addEdge = (from: string, to: string, kind: GraphEdge['kind'], onCycle: boolean) => {
    const k = `${from}>${to}`;
    if (edgeSeen.has(k)) {
      if (onCycle) edges.find((e) => e.from === from && e.to === to)!.onCycle = true;
      return;
    }
    edgeSeen.add(k);
    edges.push({ from, to, kind, onCycle });
  };

  const addTask = (id: number) => {
    const key = taskKey(id);
    if (nodes.has(key)) return key;
    const t = model.task(id);
    const onCycle = cycles.some((c) => c.includes(id));
    if (!t) {
      nodes.set(key, { key, kind: 'task', id, label: `task #${id}`, detail: 'no record (finished and forgotten)', state: 'unknown', onCycle });
      return key;
    }
    const detail = t.state === 'suspended' && t.awaiting ? describeAwait(t.awaiting, ctx) : describeState(t);
    const frame = t.location ?? t.createdAt;
    nodes.set(key, {
      key,
      kind: 'task',
      id,
      label: t.name,
      detail,
      state: t.state,
      onCycle,
      stuck: stuck.get(id),
      frame,
      frameIs: frame === undefined ? undefined : t.location ? 'suspension' : 'creation',
    });
    return key;
  };
  const addResource = (id: number, fallbackKind: string) => {
    const key = resKey(id);
    if (nodes.has(key)) return key;
    const r = model.resources.get(id);
    nodes.set(key, {
      key,
      kind: 'resource',
      id,
      label: r?.name ?? `${fallbackKind}#${id}`,
      detail: r ? resourceDetail(r, (h) => model.nameOf(h)) : fallbackKind,
      state: r?.kind ?? fallbackKind,
      onCycle: false,
    });
    return key;
  };

  for (const t of live) {
    const from = addTask(t.id);
    const a = t.state === 'suspended' ? t.awaiting : undefined;
    if (!a) continue;
    switch (a.kind) {
      case 'task':
        addEdge(from, addTask(a.taskId), 'awaits', cycleStep.has(`${t.id}>${a.taskId}`));
        break;
      case 'gather':
      case 'wait':
      case 'taskGroup':
      case 'asCompleted':
      case 'shield':
        for (const id of a.taskIds) addEdge(from, addTask(id), 'awaits', cycleStep.has(`${t.id}>${id}`));
        break;
      case 'lock': {
        const res = addResource(a.resourceId, 'Lock');
        const holder = a.holderId ?? model.resources.get(a.resourceId)?.holderId;
        const onCycle = holder !== undefined && cycleStep.has(`${t.id}>${holder}`);
        addEdge(from, res, 'waits', onCycle);
        if (holder !== undefined) addEdge(res, addTask(holder), 'holds', onCycle);
        break;
      }
      case 'event':
      case 'condition':
      case 'semaphore':
        addEdge(from, addResource(a.resourceId, a.kind[0].toUpperCase() + a.kind.slice(1)), 'waits', false);
        break;
      case 'queue.get':
      case 'queue.put':
      case 'queue.join':
        addEdge(from, addResource(a.resourceId, 'Queue'), 'waits', false);
        break;
      default:
        break; // sleep, future, promise: nothing to point at; the node's detail says what
    }
  }
  // A held lock with waiters points at its holder even when the waiters' records lack holderId.
  for (const r of model.resources.values()) {
    if (r.kind === 'lock' && r.holderId !== undefined && nodes.has(resKey(r.id))) addEdge(resKey(r.id), addTask(r.holderId), 'holds', false);
  }

  return select(nodes, edges, cycles, maxNodes, options.filter ?? '');
}

/** Keeps at most maxNodes nodes: filter matches (and neighbours), cycles first, then connected groups, largest first. */
function select(all: Map<string, GraphNode>, edges: GraphEdge[], cycles: number[][], maxNodes: number, filter: string): AwaitGraph {
  const neighbours = new Map<string, string[]>();
  for (const k of all.keys()) neighbours.set(k, []);
  for (const e of edges) {
    neighbours.get(e.from)!.push(e.to);
    neighbours.get(e.to)!.push(e.from);
  }

  let candidates = [...all.keys()];
  const needle = filter.trim().toLowerCase();
  if (needle) {
    const keep = new Set<string>();
    for (const n of all.values()) {
      if (!n.label.toLowerCase().includes(needle)) continue;
      keep.add(n.key);
      for (const m of neighbours.get(n.key)!) keep.add(m);
    }
    candidates = candidates.filter((k) => keep.has(k));
  }
  const allowed = new Set(candidates);

  // Connected groups among the candidates.
  const groupOf = new Map<string, number>();
  const groups: string[][] = [];
  for (const start of candidates) {
    if (groupOf.has(start)) continue;
    const g: string[] = [];
    const queue = [start];
    groupOf.set(start, groups.length);
    for (let i = 0; i < queue.length; i++) {
      const k = queue[i];
      g.push(k);
      for (const m of neighbours.get(k)!) {
        if (allowed.has(m) && !groupOf.has(m)) {
          groupOf.set(m, groups.length);
          queue.push(m);
        }
      }
    }
    groups.push(g);
  }
  const onCycle = (g: string[]) => g.some((k) => all.get(k)!.onCycle);
  const order = groups.map((g, i) => i).sort((a, b) => Number(onCycle(groups[b])) - Number(onCycle(groups[a])) || groups[b].length - groups[a].length || a - b);

  const kept = new Set<string>();
  for (const i of order) {
    for (const k of groups[i]) {
      if (kept.size >= maxNodes) break;
      kept.add(k);
    }
  }
  const nodes = [...all.values()].filter((n) => kept.has(n.key));
  return {
    nodes,
    edges: edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
    cycles,
    hidden: all.size - nodes.length,
  };
}
