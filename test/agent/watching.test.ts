// What watching costs and what it must still get right: no agent code on a task switch unless the
// timeline or a stepping debugger asks for it, stack sampling that switches its hook off once done,
// exact step times on the timeline, step stops that say where, and unretrieved exceptions that stop
// naming their task.
import { describe, it, expect, afterEach } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { run, createTask, currentTask, sleep, gather, waitFor, Queue, type Coroutine, type Task } from 'loopscope';
import { hooks, instrumentsOf } from '../../runtime/src/hooks';
import { EventKind, type DeltaMessage, type StepEvent } from '../../runtime/src/protocol/wire';
import { inProcessDebugger, lineOf, until, type InProcess } from './helpers';

const THIS_FILE = fileURLToPath(import.meta.url);

let dbg: InProcess | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
});

/** A debugger connected and serving (the session starts with the first run()). */
async function connected(options: Record<string, unknown>): Promise<InProcess> {
  dbg = await inProcessDebugger();
  await run(sleep(1));
  await dbg.conn.request('setOptions', options);
  return dbg;
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy: a step that takes `ms` */
  }
}

/** Which per-step hooks are installed now (what a task switch would call). */
function stepHooks(): string[] {
  return (['taskScheduled', 'beforeTaskStep', 'afterTaskStep', 'suspending', 'resuming'] as const).filter((h) => hooks[h] !== null);
}

describe('the cost of watching', () => {
  it('a task cancelled while the loop is paused is sent as cancelling at once, though it takes no step', async () => {
    const d = await connected({ timeline: false, stacks: 'off' });
    let victimId = 0;
    let mainId = 0;
    const done = run(
      (function* main(): Coroutine<void> {
        mainId = currentTask()!.id;
        // Awaiting inside a timeout scope, as the crawler's workers do.
        const victim = createTask(
          (function* (): Coroutine<void> {
            yield* waitFor(sleep(10_000), 20_000);
          })(),
          { name: 'victim' },
        );
        victimId = victim.id;
        yield* sleep(5_000);
      })(),
    );
    done.catch(() => undefined); // main is cancelled at the end
    await until(() => d.model.tasks.get(victimId)?.state === 'suspended', 3000, 'the victim suspended');
    const paused = d.nextStop();
    await d.conn.request('pause', {});
    await paused;
    await d.conn.request('cancelTask', { taskId: victimId, message: 'from the debugger' });
    // Paused: no task runs, so the victim's steps and state stay; its record must still say so.
    await until(() => d.model.tasks.get(victimId)?.cancelling === 1, 3000, 'the victim sent as cancelling');
    await d.conn.request('resume', {});
    await until(() => d.model.tasks.get(victimId)?.state === 'cancelled', 3000, 'the victim cancelled');
    await d.conn.request('cancelTask', { taskId: mainId });
    await done.catch(() => undefined);
  });

  it('a task awaiting a gather is sent again as its children finish, though it takes no step ("3 of 5 pending")', async () => {
    const d = await connected({ timeline: false, stacks: 'off' });
    function* child(ms: number): Coroutine<number> {
      yield* sleep(ms);
      return ms;
    }
    let parentId = 0;
    const done = run(
      (function* main(): Coroutine<void> {
        const kids = [150, 200, 800, 800, 800].map((ms, i) => createTask(child(ms), { name: `kid-${i}` }));
        const parent = createTask(
          (function* (): Coroutine<number[]> {
            return yield* gather(kids);
          })(),
          { name: 'parent' },
        );
        parentId = parent.id;
        yield* parent;
      })(),
    );
    await until(() => d.model.tasks.get(parentId)?.awaiting?.kind === 'gather');
    expect((d.model.tasks.get(parentId)!.awaiting as { taskIds: number[] }).taskIds).toHaveLength(5);
    // The two short children finish; the parent does not step until all five have.
    await until(() => {
      const a = d.model.tasks.get(parentId)?.awaiting as { taskIds?: number[]; total?: number } | undefined;
      return a?.taskIds?.length === 3;
    }, 3000);
    const parent = d.model.tasks.get(parentId)!;
    expect(parent.steps).toBe(1);
    expect(parent.awaiting).toMatchObject({ kind: 'gather', total: 5 });
    await done;
  });


  it('a task in Queue.join is sent again as items are marked done, though it takes no step ("1 unfinished" on an empty queue)', async () => {
    const d = await connected({ timeline: false, stacks: 'off' });
    let mainId = 0;
    let ordersId = 0;
    const done = run(
      (function* main(): Coroutine<void> {
        mainId = currentTask()!.id;
        const orders = new Queue<number>(0, { name: 'orders' });
        ordersId = orders.resourceId;
        for (const ms of [300, 350, 1500]) orders.putNowait(ms);
        for (let i = 0; i < 3; i++) {
          createTask(
            (function* (): Coroutine<void> {
              const ms = yield* orders.get();
              yield* sleep(ms); // processing the item
              orders.taskDone();
            })(),
            { name: `packer-${i}` },
          );
        }
        yield* orders.join();
      })(),
    );
    // At first: three items taken (the queue is empty) and none done (two, if a batch came late).
    await until(() => d.model.tasks.get(mainId)?.awaiting?.kind === 'queue.join');
    expect(d.model.tasks.get(mainId)!.awaiting).toMatchObject({ kind: 'queue.join', resourceId: ordersId, size: 0 });
    expect((d.model.tasks.get(mainId)!.awaiting as { unfinished: number }).unfinished).toBeGreaterThan(1);
    // Two packers finish their item; main takes no step, yet its record follows the count down.
    await until(() => (d.model.tasks.get(mainId)?.awaiting as { unfinished?: number } | undefined)?.unfinished === 1, 3000, 'main sent again with 1 unfinished');
    const main = d.model.tasks.get(mainId)!;
    expect(main.steps).toBe(1);
    expect(main.awaiting).toMatchObject({ kind: 'queue.join', size: 0, unfinished: 1 });
    // The queue's own record (the graph's node) says the same, and lists main among its waiters.
    await until(() => d.model.resources.get(ordersId)?.unfinished === 1, 3000, 'the queue sent with 1 unfinished');
    expect(d.model.resources.get(ordersId)).toMatchObject({ name: 'orders', size: 0, unfinished: 1, waiterIds: [mainId] });
    await done;
  });

  it('by default a task switch calls no hook; slow steps (slowStepMs) add the time-per-task hooks, the timeline its own', async () => {
    const d = await connected({ timeline: false, stacks: 'off' });
    const seen = new Set<string>();
    function* worker() {
      for (let i = 0; i < 20; i++) {
        for (const h of stepHooks()) seen.add(h);
        yield* sleep(0);
      }
    }
    function* main(): Coroutine<void> {
      const ts = [1, 2, 3].map(() => createTask(worker()));
      for (const t of ts) yield* t;
    }
    await run(main(), { name: 'main' });
    // Watching with the defaults takes no per-step work at all.
    expect([...seen]).toEqual([]);
    // The tasks' steps were still counted, from the runtime's own counters.
    await until(() => d.log.filter((t) => t === 'loopClosed').length === 2, 5000, 'loopClosed');
    const workers = [...d.model.tasks.values()].filter((t) => t.name !== 'main' && t.parentId !== 0);
    expect(workers.map((t) => [t.state, t.steps])).toEqual([
      ['done', 21],
      ['done', 21],
      ['done', 21],
    ]);

    // Slow steps and time per task (taskTimes.ts) time every step: installed only when asked for.
    await d.conn.request('setOptions', { slowStepMs: 100 });
    await run(main());
    expect([...seen].sort()).toEqual(['afterTaskStep', 'beforeTaskStep', 'taskScheduled']);
    for (const h of ['taskScheduled', 'beforeTaskStep', 'afterTaskStep'] as const) expect(instrumentsOf(h), h).toEqual([d.session.times]);

    await d.conn.request('setOptions', { timeline: true });
    await run(main());
    for (const h of ['taskScheduled', 'beforeTaskStep', 'afterTaskStep'] as const) expect(instrumentsOf(h), h).toEqual([d.session.times, d.session.recorder.timelineHooks]);
  });

  it("'sampled' stacks: the suspension hook is installed at each batch and removed once every task has a stack", async () => {
    const d = await connected({ timeline: false, stacks: 'sampled', flushIntervalMs: 10 });
    let withHook = 0;
    let without = 0;
    function* napper() {
      const end = performance.now() + 150;
      while (performance.now() < end) {
        if (hooks.suspending === null) without++;
        else withHook++;
        yield* sleep(0);
      }
    }
    function* main(): Coroutine<void> {
      const ts = Array.from({ length: 10 }, (_, i) => createTask(napper(), { name: `napper-${i}` }));
      for (const t of ts) yield* t;
    }
    const done = run(main());
    // Every napper gets a location (taken in a batch while sampling was on), while most switches
    // run without the hook. Which batch samples which napper depends on timing: wait for all ten.
    await until(() => without > 1000, 10_000, 'switches without the hook');
    const located = () => [...d.model.tasks.values()].filter((t) => t.name.startsWith('napper-') && t.location?.function === 'napper').length;
    await until(() => located() === 10, 10_000, 'a location for every napper');
    const stop = d.nextStop();
    await d.conn.request('pause', {});
    await stop;
    const nappers = [...d.model.tasks.values()].filter((t) => t.name.startsWith('napper-'));
    expect(nappers).toHaveLength(10);
    for (const t of nappers) expect(t.location?.function, t.name).toBe('napper');
    await d.conn.request('resume', {});
    await done;
    // Most switches ran without the hook, and it came back for the later batches.
    expect(without).toBeGreaterThan(withHook);
    expect(withHook).toBeGreaterThan(0);
  });
});

describe('the timeline', () => {
  it('times each step at its start and its end, however busy the loop', async () => {
    const d = await connected({ timeline: true, stacks: 'off' });
    const events: StepEvent[] = [];
    d.conn.on('delta', (m: DeltaMessage) => events.push(...(m.events ?? [])));
    const slow: number[] = [];
    function* slowWorker() {
      for (let i = 0; i < 4; i++) {
        // Long enough that the timeline's clock thread ticks during it, however loaded the machine.
        spin(20);
        yield* sleep(0);
      }
    }
    function* quick() {
      for (let i = 0; i < 30; i++) yield* sleep(0);
    }
    function* main(): Coroutine<void> {
      // Many quick steps around the slow ones: a clock shared between hooks would give the slow steps no length.
      const ts: Task<unknown>[] = Array.from({ length: 100 }, () => createTask(quick()));
      for (let i = 0; i < 3; i++) {
        const t = createTask(slowWorker());
        slow.push(t.id);
        ts.push(t);
      }
      for (const t of ts) yield* t;
    }
    await run(main());
    await until(() => d.log.filter((t) => t === 'loopClosed').length === 2, 5000, 'loopClosed');
    expect(d.model.dropped).toBe(0);
    for (const id of slow) {
      const mine = events.filter((e) => e[1] === id);
      const lengths: number[] = [];
      for (let i = 0; i < mine.length; i++) {
        if (mine[i][0] !== EventKind.resumed) continue;
        const end = mine.slice(i + 1).find((e) => e[0] !== EventKind.scheduled);
        lengths.push(end![2] - mine[i][2]);
      }
      // 4 spinning steps and the last (which returns at once).
      expect(lengths).toHaveLength(5);
      for (const l of lengths.slice(0, 4)) expect(l).toBeGreaterThanOrEqual(19.9);
      // Steps are in time order: no end before its start, no start before the previous end.
      const times = mine.map((e) => e[2]);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});

describe('stops', () => {
  it("a step stop says where the task suspended, with 'sampled' stacks whose budget is spent", async () => {
    const d = await connected({ timeline: false, stacks: 'sampled', flushIntervalMs: 1 });
    let flipper: Task<unknown> | null = null;
    let stop = false;
    function* flip() {
      while (!stop) {
        yield* sleep(0);
        yield* sleep(0);
      }
    }
    function* busy() {
      while (!stop) yield* sleep(0);
    }
    function* main(): Coroutine<void> {
      // Hundreds of tasks switching: the sampling budget (2.5 % of the time) is spent at once.
      const ts: Task<unknown>[] = Array.from({ length: 300 }, () => createTask(busy()));
      flipper = createTask(flip(), { name: 'flipper' });
      ts.push(flipper);
      for (const t of ts) yield* t;
    }
    const done = run(main());
    await new Promise((r) => setTimeout(r, 100));
    const paused = d.nextStop();
    await d.conn.request('pause', {});
    await paused;
    const lines: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = d.nextStop();
      await d.conn.request('stepTask', { taskId: flipper!.id });
      const stepped = await s;
      expect(stepped).toMatchObject({ reason: 'step', taskId: flipper!.id, location: { function: 'flip' } });
      lines.push(stepped.location!.line);
      expect(stepped.description).toBe(`flipper stepped: now ready at watching.test.ts:${stepped.location!.line}`);
    }
    // Each step moves it to its other await (a location left from an earlier suspension would repeat).
    // (In-process under vitest, stack lines are of the transformed module; the child tests check real lines.)
    const [a, b] = lines;
    expect(a).not.toBe(b);
    expect(lines).toEqual([a, b, a, b]);
    stop = true;
    await d.conn.request('resume', {});
    await done;
  });
});

describe('unretrieved exceptions', () => {
  function* failing(): Coroutine<void> {
    yield* sleep(1);
    throw new TypeError('nobody looks'); // @THROW
  }

  it('stop when the runtime finds the failed task collected, naming it and where it raised', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const d = await connected({});
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'unretrievedException' }] });
    let forgotten = 0;
    let stopped = false;
    function* main(): Coroutine<string> {
      // Only its id is kept: nothing can retrieve the exception once the task is collected.
      forgotten = createTask(failing(), { name: 'forgotten' }).id;
      yield* sleep(30);
      for (let i = 0; i < 50 && !stopped; i++) {
        gc();
        yield* sleep(10);
      }
      return 'ok';
    }
    const stopP = d.nextStop();
    const done = run(main(), { name: 'main' });
    const s = await stopP;
    stopped = true;
    const line = lineOf(THIS_FILE, '@THROW');
    expect(s).toMatchObject({ reason: 'unretrievedException', taskId: forgotten, location: { file: THIS_FILE, line, function: 'failing' } });
    expect(s.description).toBe(`forgotten failed and its exception was never retrieved: TypeError: nobody looks at watching.test.ts:${line}`);
    // It stopped while the loop ran (main is still sleeping), not at the end (one loop closed: connected()'s).
    expect(d.log.filter((t) => t === 'loopClosed')).toHaveLength(1);
    await d.conn.request('resume', {});
    expect(await done).toBe('ok');
  });

  it('stop when the loop closes with one unretrieved, naming the task', async () => {
    const d = await connected({});
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'unretrievedException' }] });
    let forgotten = 0;
    function* main(): Coroutine<string> {
      forgotten = createTask(failing(), { name: 'forgotten' }).id;
      yield* sleep(10);
      return 'ok';
    }
    const stopP = d.nextStop();
    expect(await run(main())).toBe('ok');
    const s = await stopP;
    expect(s).toMatchObject({ reason: 'unretrievedException', taskId: forgotten, location: { line: lineOf(THIS_FILE, '@THROW') } });
    expect(s.description).toMatch(/^forgotten failed and its exception was never retrieved: TypeError: nobody looks at watching\.test\.ts:\d+$/);
    // The loop could not be held there: it closed after the stop.
    await until(() => d.log.filter((t) => t === 'loopClosed').length === 2, 5000, 'loopClosed');
    expect(d.log.lastIndexOf('stopped')).toBeLessThan(d.log.lastIndexOf('loopClosed'));
  });
});
