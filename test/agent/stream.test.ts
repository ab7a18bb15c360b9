// The agent's stream over a real socket, checked against the runtime's own state: the snapshot then
// the deltas must describe exactly the tasks the loop has, in the states it has them, with what
// they await (locks, queues, events, semaphores, gathers, sleeps) read from the waits.ts contract.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather, Lock, Queue, Event, Semaphore, Task, allTasks, getRunningLoop, CancelledError, type EventLoop } from 'loopscope';
import { hooks } from '../../runtime/src/hooks';
import { stateOf } from '../../runtime/src/agent/recorder';
import { inProcessDebugger, until, type InProcess, type Model } from './helpers';

let dbg: InProcess | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
});

const finished = (s: string) => s === 'done' || s === 'failed' || s === 'cancelled';

/** What `task` awaits, by the runtime's own tag. */
function expectedKind(task: Task<unknown>): string | undefined {
  const w = task.waitingOn();
  if (w === null) return undefined;
  if (w instanceof Task) return 'task';
  return w._waitKind ?? 'future';
}

/** The model must match the loop exactly: every unfinished task, its state, steps and await. */
function expectConsistent(model: Model, loop: EventLoop): void {
  const live = new Map([...loop._tasks].map((t) => [t.id, t]));
  for (const t of live.values()) {
    const r = model.tasks.get(t.id);
    expect(r, `task ${t.getName()} in the model`).toBeDefined();
    expect(r!.state, `${t.getName()} state`).toBe(stateOf(t));
    expect(r!.steps, `${t.getName()} steps`).toBe(t.steps());
    expect(r!.name).toBe(t.getName());
    if (r!.state === 'suspended') expect(r!.awaiting?.kind, `${t.getName()} awaits`).toBe(expectedKind(t));
  }
  for (const r of model.tasks.values()) {
    if (!finished(r.state)) expect(live.has(r.id), `model task ${r.name} (${r.state}) is live`).toBe(true);
  }
}

describe('agent stream', () => {
  it('with no debugger, no hook is installed', async () => {
    const seen: (unknown[] | null)[] = [];
    function* main() {
      seen.push(hooks.taskCreated, hooks.afterTaskStep, hooks.suspending, hooks.beforeIdle);
      yield* sleep(1);
    }
    await run(main());
    expect(seen).toEqual([null, null, null, null]);
  });

  it('snapshot then deltas match the runtime at every stop, and the end state', async () => {
    dbg = await inProcessDebugger();
    const { conn, model } = dbg;
    let loop: EventLoop | null = null;
    const checks: number[] = [];

    function* producer(q: Queue<number>, n: number) {
      for (let i = 0; i < n; i++) {
        yield* q.put(i);
        yield* sleep(1);
      }
    }
    function* consumer(q: Queue<number>, lock: Lock, out: number[]) {
      for (;;) {
        const v = yield* q.get();
        yield* lock.acquire();
        try {
          yield* sleep(2);
          out.push(v);
        } finally {
          lock.release();
        }
        q.taskDone();
      }
    }
    function* main() {
      loop = getRunningLoop();
      const q = new Queue<number>(2, { name: 'jobs' });
      const lock = new Lock({ name: 'db' });
      const out: number[] = [];
      const consumers = [1, 2, 3].map((i) => createTask(consumer(q, lock, out), { name: `consumer-${i}` }));
      const producers = [1, 2].map((i) => createTask(producer(q, 15), { name: `producer-${i}` }));
      yield* gather(producers);
      yield* q.join();
      for (const c of consumers) c.cancel('done');
      yield* sleep(0);
      return out.length;
    }

    const result = run(main(), { name: 'main' });
    // Stop the program a few times while it runs; at each stop the model must equal the runtime.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 12));
      if (loop === null || (loop as EventLoop).isClosed()) break;
      const stop = dbg.nextStop();
      const paused = await conn.request('pause', {});
      if (!paused.paused) break;
      await stop;
      expectConsistent(model, loop);
      // Who holds the lock and who waits for it, as the resource record says.
      for (const r of model.resources.values()) {
        for (const w of r.waiterIds) expect(model.tasks.get(w)?.state).toBe('suspended');
      }
      checks.push(i);
      await conn.request('resume', {});
    }
    expect(await result).toBe(30);
    await until(() => dbg!.log.includes('loopClosed'), 5000, 'loopClosed');
    expect(checks.length).toBeGreaterThan(0);
    expect(model.gaps).toEqual([]);
    expect(model.byName('main')).toMatchObject({ state: 'done', result: '30', parentId: 0 });
    for (const n of ['consumer-1', 'consumer-2', 'consumer-3']) expect(model.byName(n)).toMatchObject({ state: 'cancelled', cancelMessage: 'done' });
    for (const n of ['producer-1', 'producer-2']) expect(model.byName(n).state).toBe('done');
    // Every task ended, was sent once finished, and is listed as forgotten.
    for (const r of model.tasks.values()) {
      expect(finished(r.state)).toBe(true);
      expect(model.removed.has(r.id)).toBe(true);
    }
    const mainId = model.byName('main').id;
    expect(model.byName('consumer-1').parentId).toBe(mainId);
  });

  it('derives what each task awaits: lock (holder, place), queue get/put, event, semaphore, gather, sleep, and finds an await cycle', async () => {
    dbg = await inProcessDebugger();
    const { conn, model } = dbg;
    const ids: Record<string, number> = {};
    const never = new Event({ name: 'never' });
    function* holdThenWant(first: Lock, second: Lock) {
      yield* first.acquire();
      yield* sleep(1);
      yield* second.acquire();
    }
    function* main() {
      const a = new Lock({ name: 'A' });
      const b = new Lock({ name: 'B' });
      const empty = new Queue<number>(0, { name: 'empty' });
      const full = new Queue<number>(1, { name: 'full' });
      full.putNowait(1);
      const sem = new Semaphore(0, { name: 'sem' });
      const t1 = createTask(holdThenWant(a, b), { name: 'ab' });
      const t2 = createTask(holdThenWant(b, a), { name: 'ba' });
      const getter = createTask(empty.get(), { name: 'getter' });
      const putter = createTask(full.put(2), { name: 'putter' });
      const waiter = createTask(never.wait(), { name: 'waiter' });
      const acquirer = createTask(sem.acquire(), { name: 'acquirer' });
      const sleeper = createTask(sleep(60_000), { name: 'sleeper' });
      for (const t of [t1, t2, getter, putter, waiter, acquirer, sleeper]) ids[t.getName()] = t.id;
      // One of the gathered is already done: the gather awaits 8, 7 of them pending.
      const ready = getRunningLoop().createFuture<number>();
      ready.setResult(1);
      yield* gather([t1, t2, getter, putter, waiter, acquirer, sleeper, ready]);
    }
    const outcome = run(main(), { name: 'main' }).then(
      () => null,
      (e: unknown) => e,
    );
    // Everything is stuck: the loop goes idle; a pause stops it at once.
    const stuck = () => ['ab', 'ba'].every((n) => [...model.tasks.values()].some((t) => t.name === n && t.awaiting?.kind === 'lock'));
    await until(() => stuck() && [...model.tasks.values()].filter((t) => t.state === 'suspended').length === 8, 5000, 'all suspended');
    const stop = dbg.nextStop();
    await conn.request('pause', {});
    const stopped = await stop;
    expect(stopped.reason).toBe('pause');
    expect(stopped.description).toMatch(/idle/);

    const aw = (name: string) => model.byName(name).awaiting!;
    const resByName = (name: string) => [...model.resources.values()].find((r) => r.name === name)!;
    expect(aw('ab')).toMatchObject({ kind: 'lock', resourceId: resByName('B').id, holderId: ids.ba, position: 0 });
    expect(aw('ba')).toMatchObject({ kind: 'lock', resourceId: resByName('A').id, holderId: ids.ab, position: 0 });
    expect(aw('getter')).toMatchObject({ kind: 'queue.get', resourceId: resByName('empty').id, size: 0, maxsize: 0 });
    expect(aw('putter')).toMatchObject({ kind: 'queue.put', resourceId: resByName('full').id, size: 1, maxsize: 1 });
    expect(aw('waiter')).toMatchObject({ kind: 'event', resourceId: resByName('never').id, position: 0 });
    expect(aw('acquirer')).toMatchObject({ kind: 'semaphore', resourceId: resByName('sem').id, position: 0 });
    expect(aw('sleeper')).toMatchObject({ kind: 'sleep', delay: 60_000 });
    expect((aw('sleeper') as { deadline: number }).deadline).toBeGreaterThan(model.byName('sleeper').since + 59_000);
    const gatherAwait = aw('main') as { kind: string; taskIds: number[]; futureIds?: number[]; total?: number };
    expect(gatherAwait.kind).toBe('gather');
    expect(gatherAwait.taskIds.sort()).toEqual(Object.values(ids).sort());
    expect(gatherAwait.futureIds).toBeUndefined();
    expect(gatherAwait.total).toBe(8);
    expect(resByName('A')).toMatchObject({ kind: 'lock', holderId: ids.ab, waiterIds: [ids.ba] });
    expect(resByName('sem')).toMatchObject({ kind: 'semaphore', value: 0, waiterIds: [ids.acquirer] });
    expect(resByName('never')).toMatchObject({ kind: 'event', value: 0, waiterIds: [ids.waiter] });

    const details = await conn.request('taskDetails', { taskId: ids.ab });
    // ab waits for ba (holder of B), which waits for ab (holder of A): the chain returns to ab.
    expect(details.awaitingChain).toEqual([ids.ba, ids.ab]);
    expect(details.cycle).toEqual([ids.ab, ids.ba]);
    expect(details.awaitedBy.sort()).toEqual([ids.ba, model.byName('main').id].sort());
    expect(details.resources.map((r) => r.name)).toEqual(['B']);
    expect(details.creationChain.map((c) => c.name)).toEqual(['main']);
    const mainDetails = await conn.request('taskDetails', { taskId: model.byName('main').id });
    expect(mainDetails.children.sort()).toEqual(Object.values(ids).sort());
    // main's chain (through its gather's first pending task) runs into that cycle.
    expect(mainDetails.awaitingChain).toEqual([ids.ab, ids.ba, ids.ab]);
    expect(mainDetails.cycle).toEqual([ids.ab, ids.ba]);
    const sleeperDetails = await conn.request('taskDetails', { taskId: ids.sleeper });
    expect(sleeperDetails.awaitingChain).toEqual([]);
    expect(sleeperDetails.cycle).toBeUndefined();

    // cancelTask ends the program: the main task is cancelled with the message, run() rejects.
    await conn.request('resume', {});
    expect(await conn.request('cancelTask', { taskId: model.byName('main').id, message: 'stop, from the debugger' })).toEqual({ cancelled: true });
    expect(await outcome).toBeInstanceOf(CancelledError);
    await until(() => dbg!.log.includes('loopClosed'), 5000, 'loopClosed');
    expect(model.byName('main')).toMatchObject({ state: 'cancelled' });
    await expect(conn.request('cancelTask', { taskId: 999_999 })).rejects.toMatchObject({ code: 'unknown-task' });
  });

  it('tells the outcome of the loop, and a failed task its error', async () => {
    dbg = await inProcessDebugger();
    const closed = new Promise<unknown>((r) => dbg!.conn.on('loopClosed', r));
    function* boom() {
      yield* sleep(1);
      throw new TypeError('bad input');
    }
    await expect(run(boom(), { name: 'boom' })).rejects.toThrow('bad input');
    expect(await closed).toMatchObject({ type: 'loopClosed', outcome: 'failed', error: { name: 'TypeError', message: 'bad input' } });
    await until(() => dbg!.model.tasks.size > 0 && dbg!.model.byName('boom').state === 'failed');
    expect(dbg.model.byName('boom').error).toMatchObject({ name: 'TypeError', message: 'bad input' });
  });

  it('a second run() in the same process gets a fresh snapshot', async () => {
    dbg = await inProcessDebugger();
    function* quick(n: number) {
      yield* sleep(1);
      return n;
    }
    await run(quick(1), { name: 'first' });
    await run(quick(2), { name: 'second' });
    await until(() => dbg!.log.filter((t) => t === 'loopClosed').length === 2, 5000, 'two loopClosed');
    expect(dbg.model.snapshots).toBe(2);
    expect(dbg.model.byName('second')).toMatchObject({ state: 'done', result: '2' });
  });

  it('stack options: always gives every suspended task a fresh location; off gives none; sampled flags what it skipped', async () => {
    dbg = await inProcessDebugger();
    const d = dbg;
    function* napper(ms: number) {
      for (let i = 0; i < 3; i++) yield* sleep(ms);
    }
    let loop: EventLoop | null = null;
    function* main() {
      loop = getRunningLoop();
      const ts = Array.from({ length: 50 }, (_, i) => createTask(napper(30), { name: `napper-${i}` }));
      yield* gather(ts);
    }
    await run(sleep(0));
    const suspendedNappers = () => [...d.model.tasks.values()].filter((t) => t.name.startsWith('napper-') && t.state === 'suspended');
    const pauseAndCheck = async (check: (recs: ReturnType<typeof suspendedNappers>) => void) => {
      const stop = d.nextStop();
      await d.conn.request('pause', {});
      await stop;
      const recs = suspendedNappers();
      expect(recs.length).toBeGreaterThan(0);
      check(recs);
      await d.conn.request('resume', {});
    };
    for (const stacks of ['always', 'off', 'sampled'] as const) {
      await d.conn.request('setOptions', { stacks });
      const done = run(main());
      await until(() => loop !== null && suspendedNappers().length === 50, 10_000, `${stacks}: nappers suspended`);
      await pauseAndCheck((recs) => {
        for (const r of recs) {
          if (stacks === 'always') {
            expect(r.location?.function).toBe('napper');
            expect(r.locationStale).toBeUndefined();
            expect(r.createdAt).toBeDefined();
          } else if (stacks === 'off') {
            expect(r.location).toBeUndefined();
            expect(r.createdAt).toBeUndefined();
          } else expect(r.location !== undefined || r.locationStale === true).toBe(true);
        }
      });
      await done;
      loop = null;
      d.model.tasks.clear();
    }
  });

  it('streams timeline events when asked, and removes every hook when the debugger goes', async () => {
    dbg = await inProcessDebugger();
    function* main() {
      const ts = [1, 2, 3].map(() =>
        createTask(
          (function* () {
            for (let i = 0; i < 10; i++) yield* sleep(0);
          })(),
        ),
      );
      yield* gather(ts);
    }
    // The session starts with the first run(); options apply from then on.
    await run(sleep(1));
    expect(await dbg.conn.request('setOptions', { timeline: true, stacks: 'off' })).toEqual({ timeline: true, stacks: 'off', flushIntervalMs: 50, freeze: [], thawWhenIdle: false, slowStepMs: 0 });
    expect(hooks.suspending).toBeNull();
    await run(main());
    await until(() => dbg!.log.filter((t) => t === 'loopClosed').length === 2);
    // 4 tasks: created + scheduled + per step resumed/suspended... at least 3 tasks x 11 steps x 2.
    expect(dbg.model.events).toBeGreaterThan(66);
    expect(dbg.model.dropped).toBe(0);
    const closed = new Promise<void>((r) => dbg!.conn.on('close', () => r()));
    dbg.session.end();
    await closed;
    for (const [name, fns] of Object.entries(hooks)) expect(fns, name).toBeNull();
    expect([...allTasksSafe()]).toEqual([]);
  });
});

function allTasksSafe(): Set<Task<unknown>> {
  try {
    return allTasks();
  } catch {
    return new Set();
  }
}
