/**
 * The shapes a debugger builds from a set of TaskRecords: the creator hierarchy (who created whom),
 * the await cycles (deadlocks), identical sibling subtrees folded ("× 500 worker"), and the stuck
 * tasks (suspended with nothing left that could wake them).
 *
 * Shared by the terminal inspector, the debug adapter and the VS Code extension. Pure: it imports
 * only the wire types and describe.ts (no Node, no vscode).
 */
import { formatDuration, isFinishedState, taskName } from './describe';
import type { Await, ResourceRecord, TaskRecord } from './wire';

// ---------------------------------------------------------------- the creator hierarchy

export interface TaskNode {
  task: TaskRecord;
  /** The tasks it created that are known, in creation (id) order. */
  children: TaskNode[];
}

/**
 * The creator hierarchy: each task under the task that created it (parentId). A task whose
 * creator is unknown (0, already forgotten, or not in `tasks`) is a root. Roots and children are in
 * id order, which is creation order. A parentId loop (only possible in a corrupt record set) is
 * broken at its lowest id, which becomes a root, so every task appears exactly once.
 */
export function buildForest(tasks: Iterable<TaskRecord>): TaskNode[] {
  const nodes = new Map<number, TaskNode>();
  for (const task of [...tasks].sort((a, b) => a.id - b.id)) nodes.set(task.id, { task, children: [] });

  // Walk up from each task; a walk ends at a task with no known parent (a root), at a task an
  // earlier walk already settled, or back on its own path (a loop: its lowest id becomes a root).
  const roots = new Set<number>();
  const settled = new Set<number>();
  for (const start of nodes.keys()) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let cur: number | undefined = start;
    while (cur !== undefined && !settled.has(cur) && !onPath.has(cur)) {
      path.push(cur);
      onPath.add(cur);
      const parentId: number = nodes.get(cur)!.task.parentId;
      if (!nodes.has(parentId)) {
        roots.add(cur);
        cur = undefined;
      } else cur = parentId;
    }
    if (cur !== undefined && onPath.has(cur)) roots.add(Math.min(...path.slice(path.indexOf(cur))));
    path.forEach((id) => settled.add(id));
  }

  const out: TaskNode[] = [];
  for (const node of nodes.values()) {
    if (roots.has(node.task.id)) out.push(node);
    else nodes.get(node.task.parentId)!.children.push(node);
  }
  return out;
}

// ---------------------------------------------------------------- the wait-for graph and its cycles

/**
 * The tasks a suspended task cannot go on without ("waits for" edges): the task it awaits, the
 * holder of the lock it wants, the still-pending tasks of a gather / taskGroup / shield (all of
 * them must finish). `wait` and `asCompleted` are left out: either may return when any one of its
 * tasks finishes, so waiting on a stuck task there is no proof of being stuck.
 */
export function waitsFor(task: TaskRecord, resource: (id: number) => ResourceRecord | undefined): number[] {
  const a = task.awaiting;
  if (task.state !== 'suspended' || !a) return [];
  switch (a.kind) {
    case 'task':
      return [a.taskId];
    case 'lock': {
      const holder = a.holderId ?? resource(a.resourceId)?.holderId;
      return holder === undefined ? [] : [holder];
    }
    case 'gather':
    case 'taskGroup':
    case 'shield':
      // A timeout bounding the wait breaks any cycle through it.
      return a.deadline === undefined ? a.taskIds : [];
    default:
      return [];
  }
}

/**
 * The await cycles among `tasks`, each as task ids in wait order (`[a, b]`: a waits for b, b waits
 * for a). A task that waits for itself (re-acquiring a Lock it holds) is a cycle of one. Every task
 * on a cycle appears in at least one of the returned cycles; each cycle starts at its lowest id and
 * the list is sorted by that id, so the result is stable from one snapshot to the next.
 */
export function findCycles(tasks: Iterable<TaskRecord>, resources: Iterable<ResourceRecord> = []): number[][] {
  const byId = new Map<number, TaskRecord>();
  for (const t of tasks) byId.set(t.id, t);
  const resById = new Map<number, ResourceRecord>();
  for (const r of resources) resById.set(r.id, r);
  const edges = new Map<number, number[]>();
  for (const t of byId.values()) edges.set(t.id, waitsFor(t, (id) => resById.get(id)).filter((to) => byId.has(to)));

  const cycles: number[][] = [];
  for (const scc of stronglyConnected([...byId.keys()].sort((a, b) => a - b), edges)) {
    const members = new Set(scc);
    if (scc.length === 1 && !edges.get(scc[0])!.includes(scc[0])) continue; // not on a cycle
    // Cover every member: the shortest cycle through the lowest member not yet on a reported cycle.
    const covered = new Set<number>();
    for (const start of [...scc].sort((a, b) => a - b)) {
      if (covered.has(start)) continue;
      const cycle = shortestCycle(start, edges, members);
      cycle.forEach((id) => covered.add(id));
      cycles.push(rotateToLowest(cycle));
    }
  }
  return cycles.sort((a, b) => a[0] - b[0]);
}

/** Tarjan's algorithm, iterative (a chain of 10 000 tasks must not overflow the stack). */
function stronglyConnected(ids: number[], edges: Map<number, number[]>): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const result: number[][] = [];
  let next = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: number; edge: number }[] = [{ id: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const out = edges.get(frame.id) ?? [];
      if (frame.edge < out.length) {
        const to = out[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const scc: number[] = [];
        let id: number;
        do {
          id = stack.pop()!;
          onStack.delete(id);
          scc.push(id);
        } while (id !== frame.id);
        result.push(scc);
      }
    }
  }
  return result;
}

/** Breadth-first from `start` back to itself, within `members` (a strongly connected set, so it exists). */
function shortestCycle(start: number, edges: Map<number, number[]>, members: Set<number>): number[] {
  const from = new Map<number, number>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const to of edges.get(id) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [id];
        for (let p = id; p !== start; ) {
          p = from.get(p)!;
          path.push(p);
        }
        return path.reverse();
      }
      if (!from.has(to)) {
        from.set(to, id);
        queue.push(to);
      }
    }
  }
  return [start];
}

function rotateToLowest(cycle: number[]): number[] {
  const i = cycle.indexOf(Math.min(...cycle));
  return [...cycle.slice(i), ...cycle.slice(0, i)];
}

// ---------------------------------------------------------------- folding identical siblings

/**
 * The name pattern two siblings must share to fold: the name with a trailing number (and the
 * separator before it) removed. `worker-1` … `worker-500` → `worker`; `Task-17` → `Task`;
 * `fetch #3` → `fetch`; a name that is only digits stays as it is.
 */
export function namePattern(name: string): string {
  const m = /^(.*?)[\s\-_#.:/]*\d+$/.exec(name);
  if (!m || m[1] === '') return name;
  return m[1];
}

/** A node of the folded forest: one task, or `count` identical sibling subtrees shown as one. */
export interface FoldedNode {
  /** The first task of the group (the one shown). */
  task: TaskRecord;
  /** Every task of the group, the shown one first; length 1 when nothing was folded. */
  ids: number[];
  /** The group's shared name pattern (`worker` for worker-1 … worker-500). */
  pattern: string;
  /** The shown task's children, themselves folded (each folded sibling has identical ones). */
  children: FoldedNode[];
}

export interface FoldOptions {
  /** Fold only groups at least this large (default 2). */
  minCount?: number;
  /** Tasks that must stay visible on their own (on a cycle, selected...). They never fold. */
  keep?: (task: TaskRecord) => boolean;
  /** More that siblings must share to fold, e.g. why a task is stuck (stuck and not stuck never fold together). */
  distinguish?: (task: TaskRecord) => string;
}

/**
 * Folds identical sibling subtrees: siblings fold when they share the name pattern, the state, what
 * they await (the kind, and the resource for a Lock / Event / Queue ... wait, so "Queue.get on jobs"
 * never stands for "Queue.get on results"), for a failed task the error's name, and recursively
 * identical folded children (same groups with the same counts). A group is shown where its first
 * member was.
 */
export function foldForest(roots: readonly TaskNode[], options: FoldOptions = {}): FoldedNode[] {
  const minCount = Math.max(2, options.minCount ?? 2);
  const keep = options.keep ?? (() => false);
  const distinguish = options.distinguish ?? (() => '');
  const sigs = new Map<FoldedNode, string>();

  const foldLevel = (nodes: readonly TaskNode[]): FoldedNode[] => {
    const singles = nodes.map((n) => {
      const folded: FoldedNode = { task: n.task, ids: [n.task.id], pattern: namePattern(n.task.name), children: foldLevel(n.children) };
      sigs.set(folded, keep(n.task) ? `#${n.task.id}` : signature(folded));
      return folded;
    });
    const groups = new Map<string, FoldedNode[]>();
    for (const f of singles) {
      const sig = sigs.get(f)!;
      const group = groups.get(sig);
      if (group) group.push(f);
      else groups.set(sig, [f]);
    }
    const out: FoldedNode[] = [];
    for (const f of singles) {
      const group = groups.get(sigs.get(f)!)!;
      if (group.length < minCount) {
        out.push(f);
        continue;
      }
      if (group[0] !== f) continue; // shown at its first member
      const merged: FoldedNode = { ...f, ids: group.map((g) => g.task.id) };
      sigs.set(merged, sigs.get(f)!);
      out.push(merged);
    }
    return out;
  };

  const signature = (f: FoldedNode): string =>
    JSON.stringify([f.pattern, f.task.state, awaitSignature(f.task.awaiting), f.task.state === 'failed' ? (f.task.error?.name ?? '') : '', distinguish(f.task), f.children.map((c) => [sigs.get(c), c.ids.length])]);

  return foldLevel(roots);
}

function awaitSignature(a: Await | undefined): string {
  if (!a) return '';
  return 'resourceId' in a ? `${a.kind}@${a.resourceId}` : a.kind;
}

/** How many tasks a folded forest shows in all (folded ones counted). */
export function countFolded(nodes: readonly FoldedNode[]): number {
  let n = 0;
  for (const f of nodes) n += f.ids.length * (1 + countFolded(f.children));
  return n;
}

// ---------------------------------------------------------------- stuck tasks

export type StuckReason =
  /** On an await cycle. */
  | 'cycle'
  /** Waits for a Lock whose holder has finished without releasing it. */
  | 'holder-gone'
  /** Waits for a task (or the holder of a lock) that is itself stuck. */
  | 'waits-on-stuck'
  /** Waits on an Event / Condition / Semaphore / Queue / Lock, and no task left can ever signal it. */
  | 'no-waker'
  /**
   * Waits, directly or down a chain, on a task the debugger froze, or on a primitive only a frozen
   * task is left to signal: "stuck because frozen: worker-2 is frozen". Thawing it goes on.
   */
  | 'frozen'
  /** Suspended for at least `idleMs` with no sign of what would wake it. */
  | 'no-progress';

export interface StuckTask {
  taskId: number;
  reason: StuckReason;
  /** Why, in words: "await cycle transfer-a → transfer-b → transfer-a". */
  text: string;
}

export interface StuckOptions {
  /** Loop time (ms) now. */
  now: number;
  /** The cycles, if already computed (else they are). */
  cycles?: number[][];
  /**
   * With this set, a suspended task not otherwise stuck is reported ('no-progress') when it has
   * been suspended this long and nothing it awaits has a time at which it will fire (a sleep or a
   * timeout still ahead).
   */
  idleMs?: number;
}

/** Waits that only another task can end (by signalling a primitive). */
const SIGNALLED_BY_TASKS = new Set<Await['kind']>(['event', 'condition', 'semaphore', 'queue.get', 'queue.put', 'queue.join', 'lock']);

/** Waits that end only when other tasks finish (no timer, no outside future involved). */
const ENDED_BY_TASKS = new Set<Await['kind']>(['task', 'gather', 'wait', 'taskGroup', 'asCompleted', 'shield']);

/**
 * Whether a task may run again without any task's help: it is ready or running, or what it awaits
 * ends by itself (a sleep, a timeout) or by code outside the tasks (a future, a foreign promise),
 * or it awaits a task this record set does not hold, or something this build does not know.
 */
function mayRunOnItsOwn(t: TaskRecord, known: (id: number) => boolean): boolean {
  const a = t.awaiting;
  if (t.state !== 'suspended' || !a) return true;
  if (SIGNALLED_BY_TASKS.has(a.kind)) return false;
  if (!ENDED_BY_TASKS.has(a.kind)) return true;
  if (a.kind === 'task') return !known(a.taskId);
  const group = a as Extract<Await, { taskIds: number[] }>;
  return group.deadline !== undefined || (group.futureIds?.length ?? 0) > 0 || !group.taskIds.every(known);
}

/**
 * The suspended tasks that nothing can wake, and why. In order of certainty:
 * 1. on an await cycle;
 * 2. waiting for a Lock whose holder finished (it will never release it);
 * 3. waiting for a stuck task: awaiting it, the holder of its lock, or any of a gather's / taskGroup's
 *    pending tasks; all of a `wait`'s / `asCompleted`'s pending tasks when it has no timeout;
 * 4. waiting on a primitive (Event, Lock, Queue...) while no live task could ever signal it: every
 *    other live task is itself stuck or waiting on a primitive, and none is ready, running, sleeping,
 *    or awaiting a future or promise (which outside code may settle);
 * 5. with `idleMs`, suspended that long with nothing scheduled to wake it.
 * A frozen task (the debugger's freezeTask) is never stuck itself: it only waits to be thawed. A task
 * that waits for it in a way of 3., or on a primitive that only frozen tasks are left to signal in
 * 4., is stuck because of it (reason 'frozen', "stuck because frozen: worker-2 is frozen").
 * Returned in task id order.
 */
export function findStuck(tasks: Iterable<TaskRecord>, resources: Iterable<ResourceRecord>, options: StuckOptions): StuckTask[] {
  const byId = new Map<number, TaskRecord>();
  for (const t of tasks) byId.set(t.id, t);
  const resById = new Map<number, ResourceRecord>();
  for (const r of resources) resById.set(r.id, r);
  const ctx = { task: (id: number) => byId.get(id) };
  const name = (id: number) => taskName(id, ctx);
  const stuck = new Map<number, StuckTask>();
  const mark = (taskId: number, reason: StuckReason, text: string) => {
    if (!stuck.has(taskId)) stuck.set(taskId, { taskId, reason, text });
  };
  const frozen = (id: number) => byId.get(id)?.frozen === true && !isFinishedState(byId.get(id)!.state);
  const frozenText = (ids: number[]) =>
    `stuck because frozen: ${ids.length === 1 ? `${name(ids[0])} is frozen` : `${ids.slice(0, 3).map(name).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''} are frozen`}`;

  // 1. cycles
  const cycles = options.cycles ?? findCycles(byId.values(), resById.values());
  for (const cycle of cycles) {
    const text = `await cycle ${[...cycle, cycle[0]].map(name).join(' → ')}`;
    for (const id of cycle) mark(id, 'cycle', text);
  }

  const suspended = [...byId.values()].filter((t) => t.state === 'suspended' && t.awaiting);
  const lockHolder = (a: Extract<Await, { kind: 'lock' }>) => a.holderId ?? resById.get(a.resourceId)?.holderId;

  // 2. a lock held by a finished task
  for (const t of suspended) {
    const a = t.awaiting!;
    if (a.kind !== 'lock') continue;
    const holderId = lockHolder(a);
    const holder = holderId === undefined ? undefined : byId.get(holderId);
    if (holder && isFinishedState(holder.state)) mark(t.id, 'holder-gone', `Lock held by ${holder.name}, which has ${holder.state === 'done' ? 'finished' : holder.state} without releasing it`);
  }

  // 3. waiting for stuck tasks, to a fixpoint
  const propagate = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of suspended) {
        if (stuck.has(t.id) || frozen(t.id)) continue;
        const a = t.awaiting!;
        // A frozen task blocks its waiters as a stuck one does, for as long as it stays frozen.
        const blocked = (id: number) => stuck.has(id) || frozen(id);
        let on: number | undefined;
        if (a.kind === 'wait' || a.kind === 'asCompleted') {
          const all = a.taskIds.length > 0 && (a.futureIds?.length ?? 0) === 0 && a.deadline === undefined && a.taskIds.every(blocked);
          if (all) on = a.taskIds.find((id) => stuck.has(id)) ?? a.taskIds[0];
        } else {
          const ids = waitsFor(t, (id) => resById.get(id));
          on = ids.find((id) => stuck.has(id)) ?? ids.find(frozen);
        }
        if (on !== undefined) {
          const via = stuck.get(on);
          // Said as the frozen task that holds everything up, however long the chain to it.
          if (via === undefined) mark(t.id, 'frozen', frozenText([on]));
          else if (via.reason === 'frozen') mark(t.id, 'frozen', via.text);
          else mark(t.id, 'waits-on-stuck', `waits for ${name(on)}, which is stuck`);
          changed = true;
        }
      }
    }
  };
  propagate();

  // 4. nobody left to signal: no live task may ever run again on its own, so none can signal a
  // primitive. (Callbacks outside tasks — a Node timer calling event.set() — are invisible here;
  // hence the words "no task".)
  // A frozen task runs again only when thawed: it may signal then, so waiters it alone could wake
  // are stuck because it is frozen, not for want of a waker.
  const live = [...byId.values()].filter((t) => !isFinishedState(t.state) && !stuck.has(t.id));
  const frozenLive = live.filter((t) => frozen(t.id)).map((t) => t.id);
  const known = (id: number) => byId.has(id);
  if (live.length > 0 && !live.some((t) => !frozen(t.id) && mayRunOnItsOwn(t, known))) {
    for (const t of live) {
      if (frozen(t.id) || !t.awaiting || !SIGNALLED_BY_TASKS.has(t.awaiting.kind)) continue;
      if (frozenLive.length > 0) mark(t.id, 'frozen', frozenText(frozenLive));
      else mark(t.id, 'no-waker', 'no task left can wake it');
    }
    propagate();
  }

  // 5. no progress for idleMs
  if (options.idleMs !== undefined) {
    for (const t of suspended) {
      if (stuck.has(t.id) || frozen(t.id)) continue;
      const idle = options.now - t.since;
      if (idle < options.idleMs || hasTimerAhead(t.awaiting!, options.now)) continue;
      mark(t.id, 'no-progress', `no progress for ${formatDuration(idle)}`);
    }
  }

  return [...stuck.values()].sort((a, b) => a.taskId - b.taskId);
}

/** True when the await has a time ahead at which it fires by itself (a sleep, a timeout). */
function hasTimerAhead(a: Await, now: number): boolean {
  const deadline = 'deadline' in a ? a.deadline : undefined;
  return deadline !== undefined && deadline > now;
}
