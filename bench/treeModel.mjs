// The Tasks view model's cost (extension/src/model/taskTreeModel.ts, bundled to bench/.build/treeModel.mjs):
// `node bench/treeModel.mjs '{"n":100000,"changed":1000,"updates":60}'` (add `"groupBy":"location"`
// for the view grouped by where tasks are suspended).
// A snapshot of n tasks (main → 100 supervisors → n/100 workers each, as a server's tasks look),
// with the view showing the top two levels (grouped by location: the groups, and the largest one
// expanded); then deltas that each change `changed` workers (suspended ↔ ready, one more step; each
// suspension at the next of ten await lines, so grouped by location tasks move between groups),
// each followed by what the view does: the model's update (flushNow) and children() of every row it
// says changed. Prints { n, groupBy, snapshotMs, updateMs, updateP90Ms } (CPU time of this process).
import { pathToFileURL, fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { TaskTreeModel } = await import(pathToFileURL(join(here, '.build/treeModel.mjs')).href);
const o = JSON.parse(process.argv[2] ?? 'null');
for (const k of ['n', 'changed', 'updates']) if (!Number.isInteger(o?.[k]) || o[k] < 1) throw new Error(`treeModel: ${k} must be a positive integer (got ${o?.[k]})`);
const WARMUP_UPDATES = 10; // not timed: the first updates warm V8 up
const groupBy = o.groupBy ?? 'creator';
if (groupBy !== 'creator' && groupBy !== 'location') throw new Error(`treeModel: groupBy is creator or location (got ${o.groupBy})`);
if (o.updates <= WARMUP_UPDATES) throw new Error(`treeModel: updates must be more than ${WARMUP_UPDATES}, the untimed warm-up (got ${o.updates})`);

const SUPERVISORS = 100;
const file = join(here, 'workloads', 'loopscope.mjs');
const frame = (line, fn) => ({ file, line, column: 10, function: fn });

function worker(id, parentId, state, steps, since) {
  const r = { id, name: `worker-${id}`, state, parentId, createdAt: frame(30, 'supervise'), since, steps, cancelling: 0 };
  if (state === 'suspended') {
    r.location = frame(12 + ((id + steps) % 10), 'work'); // ten await lines: each suspension at the next
    r.awaiting = { kind: 'sleep', deadline: since + 1000, delay: 1000 };
  }
  return r;
}

const tasks = [{ id: 1, name: 'main', state: 'suspended', parentId: 0, since: 0, steps: 1, cancelling: 0, awaiting: { kind: 'gather', taskIds: [] } }];
if (o.n < 1 + SUPERVISORS * 2) throw new Error(`treeModel: n must be at least ${1 + SUPERVISORS * 2}`);
const workers = [];
for (let s = 0; s < SUPERVISORS; s++) {
  const sid = 2 + s;
  tasks.push({ id: sid, name: `supervisor-${s}`, state: 'suspended', parentId: 1, since: 0, steps: 1, cancelling: 0, awaiting: { kind: 'taskGroup', taskIds: [] } });
}
for (let id = 2 + SUPERVISORS; id <= o.n; id++) {
  const w = worker(id, 2 + (id % SUPERVISORS), 'suspended', 1, 0);
  tasks.push(w);
  workers.push(w);
}

const model = new TaskTreeModel({ intervalMs: 1_000_000 });
model.setGroupBy(groupBy);
let lastUpdate = null;
model.onDidUpdate((u) => (lastUpdate = u));
const view = (update) => {
  // What VS Code does on onDidChangeTreeData: ask again for the children of each refreshed row.
  const rows = update?.tree === 'all' ? [undefined] : (update?.tree ?? []);
  let listed = 0;
  for (const row of rows) if (row === undefined || model.hasChildren(row)) listed += model.children(row).length;
  return listed;
};

const s0 = process.cpuUsage();
model.applySnapshot({ type: 'snapshot', seq: 1, time: 0, loop: { id: 1, clock: 'real', paused: false }, tasks, resources: [] }, 0);
model.flushNow();
// The view shows the top level, and the main task expanded (grouped by location: the largest group).
for (const top of model.children()) {
  if (model.hasChildren(top)) model.children(top);
  if (groupBy === 'location') break;
}
const sc = process.cpuUsage(s0);
const snapshotMs = (sc.user + sc.system) / 1000;

let seq = 1;
const times = [];
for (let u = 0; u < o.updates; u++) {
  const time = (u + 1) * 100;
  const changedRecords = [];
  for (let i = 0; i < o.changed; i++) {
    const w = workers[(u * o.changed + i * 97) % workers.length];
    w.state = w.state === 'suspended' ? 'ready' : 'suspended';
    w.steps++;
    const rec = worker(w.id, w.parentId, w.state, w.steps, time);
    changedRecords.push(rec);
  }
  const delta = { type: 'delta', seq: ++seq, time, tasks: changedRecords };
  // CPU time: on a shared machine the wall clock measures the neighbours.
  const c0 = process.cpuUsage();
  model.applyDelta(delta, time);
  model.flushNow();
  view(lastUpdate);
  const c = process.cpuUsage(c0);
  const dt = (c.user + c.system) / 1000;
  if (u >= WARMUP_UPDATES) times.push(dt);
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ n: tasks.length, groupBy, changed: o.changed, snapshotMs, updateMs: median(times), updateP90Ms: times[Math.floor(times.length * 0.9)] }) + '\n');
