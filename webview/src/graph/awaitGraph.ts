/**
 * The await graph as data: who awaits whom. Nodes are tasks and the resources they wait on; edges
 * run from the waiter to what it waits for — `awaits` (a task, or each pending task of a gather /
 * wait / taskGroup...), `waits` (a task on a Lock, Event, Queue...), and `holds` (from a Lock to the
 * task holding it, so "A waits for lock L held by B" reads A → L → B). Edges on an await cycle
 * (forest.ts's findCycles) are marked, and tasks nothing can wake (findStuck) carry the reason.
 *
 * Pure: no DOM. A program with 100,000 tasks cannot be drawn node by node, so: identical sibling
 * tasks fold into one node ("worker × 5,000": same name pattern, state, await and neighbours, as
 * the Tasks view folds them), and at most `maxNodes` nodes are kept: groups on a cycle first, then
 * connected groups (largest first), then lone tasks.
 */
import { describeAwait, describeState, isFinishedState } from '../../../runtime/src/protocol/describe';
import { findCycles, findStuck, namePattern, waitsFor, type StuckTask } from '../../../runtime/src/protocol/forest';
import type { Frame, ResourceRecord, TaskRecord } from '../../../runtime/src/protocol/wire';
import type { InspectorModel } from '../model/inspectorModel';
import { IdIndex } from '../model/idIndex';

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
  /** Tasks this node stands for: 1, or more when identical siblings were folded into it. */
  count: number;
  /** Their ids (the shown task's first), when folded. */
  ids?: number[];
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
  /** Tasks and resources left out (over maxNodes, or not matching the filter); folded ones count as shown. */
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
  const count = r.waiterCount ?? r.waiterIds.length;
  const waiting = count > 0 ? `${count} waiting` : 'no waiters';
  switch (r.kind) {
    case 'lock':
      return r.holderId !== undefined ? `held by ${nameOf(r.holderId)}, ${waiting}` : `free, ${waiting}`;
    case 'semaphore':
      return `value ${r.value ?? '?'}, ${waiting}`;
    case 'event':
      return `${r.value ? 'set' : 'not set'}, ${waiting}`;
    case 'queue': {
      // What join() waits for: items put and not yet marked done (an empty queue can have some).
      const unfinished = r.unfinished ? `, ${r.unfinished} unfinished` : '';
      return `${r.size ?? '?'}${r.maxsize ? `/${r.maxsize}` : ''} items${unfinished}, ${waiting}`;
    }
    default:
      return waiting;
  }
}

/**
 * The graph's structure with nodes as small integers (a program may have 100,000 tasks: the
 * selection works on numbers, and only the nodes kept are described in words).
 */
class Structure {
  readonly kind: ('task' | 'resource')[] = [];
  readonly id: number[] = [];
  /** For a resource node the model has no record of: what kind the await said it was. */
  readonly fallbackKind: string[] = [];
  private readonly taskIndex = new IdIndex();
  private readonly resIndex = new Map<number, number>();
  readonly from: number[] = [];
  readonly to: number[] = [];
  readonly edgeKind: GraphEdge['kind'][] = [];
  readonly onCycle: boolean[] = [];
  /** Resource node -> its `holds` edge (one holder at a time; many waiters lead to it). */
  private readonly holdsEdge = new Map<number, number>();

  get size(): number {
    return this.id.length;
  }

  task(id: number): number {
    let i = this.taskIndex.get(id);
    if (i < 0) {
      i = this.id.length;
      this.taskIndex.set(id, i);
      this.kind.push('task');
      this.id.push(id);
      this.fallbackKind.push('');
    }
    return i;
  }

  resource(id: number, fallbackKind: string): number {
    let i = this.resIndex.get(id);
    if (i === undefined) {
      i = this.id.length;
      this.resIndex.set(id, i);
      this.kind.push('resource');
      this.id.push(id);
      this.fallbackKind.push(fallbackKind);
    }
    return i;
  }

  hasResource(id: number): boolean {
    return this.resIndex.has(id);
  }

  /** A task's own edges are unique (one await per task), so only `holds` edges need de-duplicating. */
  edge(a: number, b: number, kind: GraphEdge['kind'], onCycle: boolean): void {
    if (kind === 'holds') {
      const e = this.holdsEdge.get(a);
      if (e !== undefined && this.to[e] === b) {
        if (onCycle) this.onCycle[e] = true;
        return;
      }
      this.holdsEdge.set(a, this.from.length);
    }
    this.from.push(a);
    this.to.push(b);
    this.edgeKind.push(kind);
    this.onCycle.push(onCycle);
  }
}

/**
 * The await cycles, found among the only tasks that can be on one: those that wait for a task and
 * are waited for by one. Trimming the others first (repeatedly: removing one may strand another)
 * keeps findCycles to the tangled part of a 100,000-task program.
 */
function cyclesOf(live: TaskRecord[], resources: Iterable<ResourceRecord>, resourceById: (id: number) => ResourceRecord | undefined): number[][] {
  const liveIndex = new IdIndex();
  live.forEach((t, i) => liveIndex.set(t.id, i));
  // Candidates: tasks that wait for a live task (most tasks wait for none and drop out here).
  const cand: number[] = [];
  const out: number[][] = [];
  const candOf = new Int32Array(live.length).fill(-1);
  for (let i = 0; i < live.length; i++) {
    const targets = waitsFor(live[i], resourceById);
    if (targets.length === 0) continue;
    candOf[i] = cand.length;
    cand.push(i);
    out.push(targets.map((id) => liveIndex.get(id)).filter((j) => j >= 0));
  }
  // Edges among candidates only, then trim those with no way in or no way out, repeatedly.
  const n = cand.length;
  const succ: number[][] = out.map((targets) => targets.map((j) => candOf[j]).filter((c) => c >= 0));
  const pred: number[][] = Array.from({ length: n }, () => []);
  succ.forEach((targets, c) => targets.forEach((d) => pred[d].push(c)));
  const indeg = new Int32Array(n);
  const outdeg = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    outdeg[c] = succ[c].length;
    indeg[c] = pred[c].length;
  }
  const removed = new Uint8Array(n);
  const queue: number[] = [];
  for (let c = 0; c < n; c++) if (indeg[c] === 0 || outdeg[c] === 0) queue.push(c);
  for (let q = 0; q < queue.length; q++) {
    const c = queue[q];
    if (removed[c]) continue;
    removed[c] = 1;
    for (const d of succ[c]) if (!removed[d] && --indeg[d] === 0) queue.push(d);
    for (const d of pred[c]) if (!removed[d] && --outdeg[d] === 0) queue.push(d);
  }
  const tangled: TaskRecord[] = [];
  for (let c = 0; c < n; c++) if (!removed[c]) tangled.push(live[cand[c]]);
  return tangled.length === 0 ? [] : findCycles(tangled, resources);
}

export function buildAwaitGraph(model: InspectorModel, options: GraphOptions = {}): AwaitGraph {
  const maxNodes = options.maxNodes ?? MAX_GRAPH_NODES;
  const live: TaskRecord[] = [];
  for (const t of model.tasks.values()) if (!isFinishedState(t.state)) live.push(t);
  live.sort((a, b) => a.id - b.id);

  const cycles = cyclesOf(live, model.resources.values(), (id) => model.resources.get(id));
  const onCycleTask = new Set(cycles.flat());
  // Cycle steps: (a, b) means a waits for b on a cycle.
  const cycleStep = new Set<string>();
  for (const c of cycles) for (let i = 0; i < c.length; i++) cycleStep.add(`${c[i]}>${c[(i + 1) % c.length]}`);
  const stuck = new Map<number, StuckTask>(findStuck(live, model.resources.values(), { now: model.now, cycles }).map((st) => [st.taskId, st]));

  const g = new Structure();
  for (const t of live) {
    const from = g.task(t.id);
    const a = t.state === 'suspended' ? t.awaiting : undefined;
    if (!a) continue;
    switch (a.kind) {
      case 'task':
        g.edge(from, g.task(a.taskId), 'awaits', cycleStep.has(`${t.id}>${a.taskId}`));
        break;
      case 'gather':
      case 'wait':
      case 'taskGroup':
      case 'asCompleted':
      case 'shield':
        for (const id of a.taskIds) g.edge(from, g.task(id), 'awaits', onCycleTask.has(t.id) && cycleStep.has(`${t.id}>${id}`));
        break;
      case 'lock': {
        const res = g.resource(a.resourceId, 'Lock');
        const holder = a.holderId ?? model.resources.get(a.resourceId)?.holderId;
        const onCycle = holder !== undefined && cycleStep.has(`${t.id}>${holder}`);
        g.edge(from, res, 'waits', onCycle);
        if (holder !== undefined) g.edge(res, g.task(holder), 'holds', onCycle);
        break;
      }
      case 'event':
      case 'condition':
      case 'semaphore':
        g.edge(from, g.resource(a.resourceId, a.kind[0].toUpperCase() + a.kind.slice(1)), 'waits', false);
        break;
      case 'queue.get':
      case 'queue.put':
      case 'queue.join':
        g.edge(from, g.resource(a.resourceId, 'Queue'), 'waits', false);
        break;
      default:
        break; // sleep, future, promise: nothing to point at; the node's detail says what
    }
  }
  // A held lock with waiters points at its holder even when the waiters' records lack holderId.
  for (const r of model.resources.values()) {
    if (r.kind === 'lock' && r.holderId !== undefined && g.hasResource(r.id)) g.edge(g.resource(r.id, 'Lock'), g.task(r.holderId), 'holds', false);
  }

  const labelOf = (i: number) => (g.kind[i] === 'task' ? model.nameOf(g.id[i]) : (model.resources.get(g.id[i])?.name ?? `${g.fallbackKind[i]}#${g.id[i]}`));
  const adj = adjacency(g);
  const allowed = filterMask(g, adj, labelOf, options.filter ?? '');
  const fold = foldSiblings(g, allowed, (i) => {
    const t = g.kind[i] === 'task' ? model.task(g.id[i]) : undefined;
    if (!t || onCycleTask.has(t.id)) return null;
    return `${namePattern(t.name)}|${t.state}|${awaitSignature(t)}|${stuck.get(t.id)?.reason ?? ''}`;
  });
  const shown = new Uint8Array(g.size);
  for (let i = 0; i < g.size; i++) shown[i] = allowed[i] && fold.rep[i] === i ? 1 : 0;
  const kept = select(adj, shown, (i) => g.kind[i] === 'task' && onCycleTask.has(g.id[i]), (i) => fold.count[i], maxNodes);

  // Words only for what is shown.
  const ctx = model.describeContext();
  const nodes: GraphNode[] = kept.map((i) => {
    const id = g.id[i];
    if (g.kind[i] === 'resource') {
      const r = model.resources.get(id);
      return { key: resKey(id), kind: 'resource', id, label: labelOf(i), detail: r ? resourceDetail(r, (h) => model.nameOf(h)) : g.fallbackKind[i], state: r?.kind ?? g.fallbackKind[i], onCycle: false, count: 1 };
    }
    const t = model.task(id);
    const onCycle = onCycleTask.has(id);
    if (!t) return { key: taskKey(id), kind: 'task', id, label: `task #${id}`, detail: 'no record (finished and forgotten)', state: 'unknown', onCycle, count: 1 };
    const frame = t.location ?? t.createdAt;
    const count = fold.count[i];
    return {
      key: taskKey(id),
      kind: 'task',
      id,
      label: count > 1 ? `${namePattern(t.name)} × ${count.toLocaleString('en-US')}` : t.name,
      detail: t.state === 'suspended' && t.awaiting ? describeAwait(t.awaiting, ctx) : describeState(t),
      state: t.state,
      onCycle,
      stuck: stuck.get(id)?.text,
      frame,
      frameIs: frame === undefined ? undefined : t.location ? 'suspension' : 'creation',
      count,
      ids: count > 1 ? fold.members.get(i)!.map((m) => g.id[m]) : undefined,
    };
  });
  const isKept = new Uint8Array(g.size);
  for (const i of kept) isKept[i] = 1;
  const key = (i: number) => (g.kind[i] === 'task' ? taskKey(g.id[i]) : resKey(g.id[i]));
  const edges: GraphEdge[] = [];
  for (let e = 0; e < g.from.length; e++) {
    if (isKept[g.from[e]] && isKept[g.to[e]]) edges.push({ from: key(g.from[e]), to: key(g.to[e]), kind: g.edgeKind[e], onCycle: g.onCycle[e] });
  }
  let represented = 0;
  for (const i of kept) represented += fold.count[i];
  return { nodes, edges, cycles, hidden: g.size - represented };
}

/** What a task awaits, for folding: the kind, and the resource for a Lock / Event / Queue... wait. */
function awaitSignature(t: TaskRecord): string {
  const a = t.awaiting;
  if (!a || t.state !== 'suspended') return '';
  return 'resourceId' in a ? `${a.kind}@${a.resourceId}` : a.kind;
}

/** Undirected adjacency in CSR form: node i's neighbours are adj[start[i] .. start[i + 1]). */
interface Adjacency {
  start: Int32Array;
  adj: Int32Array;
}

function adjacency(g: Structure): Adjacency {
  const n = g.size;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < g.from.length; e++) {
    start[g.from[e] + 1]++;
    start[g.to[e] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const adj = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let e = 0; e < g.from.length; e++) {
    adj[fill[g.from[e]]++] = g.to[e];
    adj[fill[g.to[e]]++] = g.from[e];
  }
  return { start, adj };
}

/** With a filter: the nodes whose label contains it, and their neighbours. */
function filterMask(g: Structure, a: Adjacency, labelOf: (i: number) => string, filter: string): Uint8Array {
  const allowed = new Uint8Array(g.size);
  const needle = filter.trim().toLowerCase();
  if (!needle) return allowed.fill(1);
  for (let i = 0; i < g.size; i++) {
    if (!labelOf(i).toLowerCase().includes(needle)) continue;
    allowed[i] = 1;
    for (let k = a.start[i]; k < a.start[i + 1]; k++) allowed[a.adj[k]] = 1;
  }
  return allowed;
}

/** Tasks with this many edges or more are hubs (a gather's owner): they never fold. */
const FOLD_MAX_DEGREE = 8;

/**
 * Folds identical sibling tasks: same `signature` (null: never folds) and the same neighbours over
 * the same kinds of edges. rep[i] is the node shown for i (i itself when not folded); count[rep] is
 * how many it stands for; members[rep] lists them (for groups of two or more).
 */
function foldSiblings(g: Structure, allowed: Uint8Array, signature: (i: number) => string | null): { rep: Int32Array; count: Int32Array; members: Map<number, number[]> } {
  const n = g.size;
  const rep = new Int32Array(n);
  const count = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) rep[i] = i;
  const degree = new Int32Array(n);
  for (let e = 0; e < g.from.length; e++) {
    degree[g.from[e]]++;
    degree[g.to[e]]++;
  }
  const foldable = (i: number) => allowed[i] === 1 && g.kind[i] === 'task' && degree[i] < FOLD_MAX_DEGREE;
  const around = new Map<number, string[]>();
  for (let e = 0; e < g.from.length; e++) {
    const a = g.from[e];
    const b = g.to[e];
    if (foldable(a)) (around.get(a) ?? around.set(a, []).get(a)!).push(`>${g.edgeKind[e]}${b}`);
    if (foldable(b)) (around.get(b) ?? around.set(b, []).get(b)!).push(`<${g.edgeKind[e]}${a}`);
  }
  const first = new Map<string, number>();
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!foldable(i)) continue;
    const sig = signature(i);
    if (sig === null) continue;
    const key = `${sig}|${(around.get(i) ?? []).sort().join(',')}`;
    const r = first.get(key);
    if (r === undefined) {
      first.set(key, i);
      continue;
    }
    rep[i] = r;
    count[r]++;
    const list = members.get(r) ?? members.set(r, [r]).get(r)!;
    list.push(i);
  }
  return { rep, count, members };
}

/**
 * The nodes to show, most important first: of the `shown` ones at most maxNodes, by connected
 * group: groups with a cycle first, then the others, largest (in tasks represented) first.
 */
function select(a: Adjacency, shown: Uint8Array, onCycle: (i: number) => boolean, weight: (i: number) => number, maxNodes: number): number[] {
  const n = shown.length;
  const group = new Int32Array(n).fill(-1);
  const groups: { members: number[]; cycle: boolean; weight: number }[] = [];
  for (let s = 0; s < n; s++) {
    if (!shown[s] || group[s] >= 0) continue;
    const members = [s];
    group[s] = groups.length;
    let cycle = false;
    let total = 0;
    for (let q = 0; q < members.length; q++) {
      const v = members[q];
      total += weight(v);
      if (!cycle && onCycle(v)) cycle = true;
      for (let k = a.start[v]; k < a.start[v + 1]; k++) {
        const w = a.adj[k];
        if (shown[w] && group[w] < 0) {
          group[w] = groups.length;
          members.push(w);
        }
      }
    }
    groups.push({ members, cycle, weight: total });
  }
  const order = groups.map((_, i) => i).sort((x, y) => Number(groups[y].cycle) - Number(groups[x].cycle) || groups[y].weight - groups[x].weight || x - y);
  const kept: number[] = [];
  for (const i of order) {
    for (const v of groups[i].members) {
      if (kept.length >= maxNodes) break;
      kept.push(v);
    }
    if (kept.length >= maxNodes) break;
  }
  return kept;
}
