// Tasks grouped by where they wait (runtime/src/protocol/locations.ts) and the terminal inspector's
// --group-by location and --at (runtime/src/cli/renderLocations.ts, render.ts's analyze).
import { describe, expect, it } from 'vitest';
import { TaskModel } from '../../runtime/src/cli/model';
import { analyze, renderJson, renderText, type View } from '../../runtime/src/cli/render';
import { locations, locationsJson, renderLocationText } from '../../runtime/src/cli/renderLocations';
import { groupByLocation, isAtSite, locationLabel, parseSite, sameFile } from '../../runtime/src/protocol/locations';
import type { Await, TaskRecord } from '../../runtime/src/protocol/wire';
import { resource, task, waiting } from './records';

const FILE = '/work/app/src/crawler.ts';
const at = (line: number, file = FILE) => ({ file, line, column: 5, function: 'worker' });
const get = (resourceId: number): Await => ({ kind: 'queue.get', resourceId, size: 0, maxsize: 0 });

/**
 * main, then `n22` workers on jobs.get() at line 22 and `n30` on results.get() at line 30, and a
 * feeder between two puts, asleep (so the workers are not stuck: it may yet wake them).
 */
function crawler(n22: number, n30: number): TaskRecord[] {
  const tasks: TaskRecord[] = [
    waiting(1, 'main', { kind: 'gather', taskIds: [] }, { location: at(40, '/work/app/src/main.ts') }),
    waiting(100, 'feeder', { kind: 'sleep', deadline: 5000 }, { parentId: 1, location: at(5, '/work/app/src/feeder.ts') }),
  ];
  let id = 2;
  for (let i = 0; i < n22; i++, id++) tasks.push(waiting(id, `worker-${id}`, get(7), { parentId: 1, location: at(22) }));
  for (let i = 0; i < n30; i++, id++) tasks.push(waiting(id, `worker-${id}`, get(8), { parentId: 1, location: at(30) }));
  return tasks;
}
const queues = [resource(7, 'queue', 'jobs', { size: 0, maxsize: 0 }), resource(8, 'queue', 'results', { size: 0, maxsize: 0 })];

describe('grouping by location', () => {
  it('one group per await site and what is awaited there, the largest first; other tasks by state, finished last', () => {
    const tasks = [...crawler(3, 50), task(60, 'fetch-1', 'ready'), task(61, 'old', 'done'), task(62, 'old', 'done'), task(63, 'old', 'done'), task(64, 'old', 'done')];
    const groups = groupByLocation(tasks);
    expect(groups.map((g) => locationLabel(g.sample, g.ids.length))).toEqual([
      '× 50 suspended at crawler.ts:30 on Queue.get',
      '× 3 suspended at crawler.ts:22 on Queue.get',
      '× 1 suspended at feeder.ts:5 on sleep',
      '× 1 suspended at main.ts:40 on gather', // equal sizes: by key, sites first, so the order holds still
      '× 1 ready',
      '× 4 done', // more than most live groups, but finished: last
    ]);
    expect(groups[1]!.ids).toEqual([2, 3, 4]);
  });

  it('two queues awaited at one line are two groups (the resource is part of the key)', () => {
    const tasks = [waiting(2, 'a', get(7), { location: at(22) }), waiting(3, 'b', get(8), { location: at(22) }), waiting(4, 'c', get(8), { location: at(22) })];
    expect(groupByLocation(tasks).map((g) => g.ids)).toEqual([[3, 4], [2]]);
  });

  it('a suspended task whose place is unknown is grouped by what it awaits', () => {
    const tasks = [waiting(2, 'a', { kind: 'sleep', deadline: 10 }), waiting(3, 'b', { kind: 'sleep', deadline: 20 })];
    expect(groupByLocation(tasks).map((g) => locationLabel(g.sample, g.ids.length))).toEqual(['× 2 suspended on sleep (place unknown)']);
  });

  it('a site is file:line; its file matches the whole path or its last segments', () => {
    expect(parseSite(' crawler.ts:22 ')).toEqual({ file: 'crawler.ts', line: 22 });
    expect(() => parseSite('crawler.ts')).toThrow('a site is file:line, e.g. crawler.ts:22 (a line number from 1), got "crawler.ts"');
    expect(() => parseSite(':22')).toThrow(/got ":22"/);
    expect(sameFile(FILE, 'crawler.ts')).toBe(true);
    expect(sameFile(FILE, './src/crawler.ts')).toBe(true);
    expect(sameFile(FILE, FILE)).toBe(true);
    expect(sameFile(FILE, 'awler.ts')).toBe(false); // a segment is whole
    expect(sameFile('C:\\app\\crawler.ts', 'app/crawler.ts')).toBe(true);
    const t = waiting(2, 'a', get(7), { location: at(22) });
    expect(isAtSite(t, { file: 'crawler.ts', line: 22 })).toBe(true);
    expect(isAtSite(t, { file: 'crawler.ts', line: 23 })).toBe(false);
    // Only a suspended task is at a site: a ready one only was there last.
    expect(isAtSite({ ...t, state: 'ready' }, { file: 'crawler.ts', line: 22 })).toBe(false);
  });
});

describe('loopscope run --group-by location', () => {
  const view = (tasks: TaskRecord[]): View => ({ now: 1000, tasks, resources: queues });

  it('text: × 50 suspended at fixture line on Queue.get, with the resource and some names', () => {
    const v = view([...crawler(3, 50), task(90, 'gone', 'done')]);
    const lines = renderLocationText(v, analyze(v), locations(v), { color: false });
    expect(lines).toEqual([
      '× 50 suspended at crawler.ts:30 on Queue.get — Queue.get on results (empty) · worker-5, worker-6, worker-7 and 47 more',
      '× 3 suspended at crawler.ts:22 on Queue.get — Queue.get on jobs (empty) · worker-2, worker-3, worker-4',
      '× 1 suspended at feeder.ts:5 on sleep · feeder',
      '× 1 suspended at main.ts:40 on gather · main',
      '(1 finished task not shown; --all shows them)',
    ]);
    const all = renderLocationText(v, analyze(v, { all: true }), locations(v, { all: true }), { color: false });
    expect(all).toContain('× 1 done · gone');
  });

  it('counts follow the tasks as they move from one site to another, update after update', () => {
    const model = new TaskModel();
    const tasks = crawler(50, 3);
    model.applySnapshot({ type: 'snapshot', seq: 0, time: 0, loop: { id: 1, clock: 'virtual', paused: false }, tasks, resources: queues }, 0);
    const heads = () => {
      const v: View = { now: model.now(0), tasks: [...model.tasks.values()], resources: [...model.resources.values()] };
      return renderLocationText(v, analyze(v), locations(v), { color: false }).map((l) => l.split(/ — | · /)[0]);
    };
    const rest = ['× 1 suspended at feeder.ts:5 on sleep', '× 1 suspended at main.ts:40 on gather'];
    expect(heads()).toEqual(['× 50 suspended at crawler.ts:22 on Queue.get', '× 3 suspended at crawler.ts:30 on Queue.get', ...rest]);
    // 20 workers take a job and move on to results.get() at line 30.
    const at22 = tasks.filter((t) => t.location?.line === 22);
    const moved = at22.slice(0, 20).map((t) => ({ ...t, awaiting: get(8), location: at(30), steps: 2 }));
    model.applyDelta({ type: 'delta', seq: 1, time: 10, tasks: moved }, 0);
    expect(heads()).toEqual(['× 30 suspended at crawler.ts:22 on Queue.get', '× 23 suspended at crawler.ts:30 on Queue.get', ...rest]);
    // 20 more: line 30 is now the larger group, and comes first; two are running meanwhile.
    const more: TaskRecord[] = at22.slice(20, 40).map((t) => ({ ...t, awaiting: get(8), location: at(30), steps: 2 }));
    more[0] = { ...more[0]!, state: 'running', awaiting: undefined };
    more[1] = { ...more[1]!, state: 'running', awaiting: undefined };
    model.applyDelta({ type: 'delta', seq: 2, time: 20, tasks: more }, 0);
    expect(heads()).toEqual([
      '× 41 suspended at crawler.ts:30 on Queue.get',
      '× 10 suspended at crawler.ts:22 on Queue.get',
      '× 2 running',
      ...rest,
    ]);
  });

  it('--at: only the site’s tasks, each on its own line; stuck ones say so', () => {
    const v = view(crawler(50, 3));
    const site = { file: 'crawler.ts', line: 30 };
    // The feeder is gone: nothing is left to wake the workers.
    v.tasks = v.tasks.filter((t) => t.name !== 'feeder');
    const a = analyze(v, { idleMs: 500, at: site });
    const lines = renderLocationText(v, a, locations(v, { at: site }), { color: false, at: site });
    expect(lines.slice(0, 4)).toEqual([
      '× 3 suspended at crawler.ts:30 on Queue.get — Queue.get on results (empty) · worker-52, worker-53, worker-54  ✖ all stuck',
      '├─ worker-52 #52 suspended 1.0 s at crawler.ts:30: Queue.get on results (empty)  ✖ stuck: no task left can wake it',
      '├─ worker-53 #53 suspended 1.0 s at crawler.ts:30: Queue.get on results (empty)  ✖ stuck: no task left can wake it',
      '└─ worker-54 #54 suspended 1.0 s at crawler.ts:30: Queue.get on results (empty)  ✖ stuck: no task left can wake it',
    ]);
    const none = { file: 'crawler.ts', line: 99 };
    expect(renderLocationText(v, analyze(v, { at: none }), locations(v, { at: none }), { color: false, at: none })[0]).toBe('no task is suspended at crawler.ts:99');
  });

  it('JSON: the groups with their place, kind, shared resource and members', () => {
    const v = view(crawler(2, 1));
    const j = locationsJson(v, locations(v));
    expect(j[0]).toEqual({ label: '× 2 suspended at crawler.ts:22 on Queue.get', count: 2, state: 'suspended', file: FILE, line: 22, awaiting: 'queue.get', shared: 'Queue.get on jobs (empty)', ids: [2, 3] });
    expect(j.map((g) => g.count)).toEqual([2, 1, 1, 1]);
  });
});

describe('loopscope run --at (the creator tree)', () => {
  it('only the tasks suspended at the site, under the tasks that created them', () => {
    const tasks = [...crawler(2, 1), waiting(10, 'sub', get(7), { parentId: 4, location: at(22) })];
    const v: View = { now: 0, tasks, resources: queues };
    const a = analyze(v, { at: { file: 'src/crawler.ts', line: 22 } });
    expect(renderText(v, a, { color: false })).toEqual([
      'main #1 suspended at main.ts:40: gather: 0 pending',
      '├─ × 2 worker suspended: Queue.get on jobs (empty)',
      '└─ worker-4 #4 suspended at crawler.ts:30: Queue.get on results (empty)',
      '   └─ sub #10 suspended at crawler.ts:22: Queue.get on jobs (empty)',
      '(only the 3 tasks suspended at src/crawler.ts:22, under their creators)',
    ]);
    expect(renderJson(v, a, { reason: 'update', program: 'x' }).at).toBe('src/crawler.ts:22');
    const none = analyze(v, { at: { file: 'crawler.ts', line: 99 } });
    expect(renderText(v, none, { color: false })).toEqual(['no task is suspended at crawler.ts:99']);
  });
});
