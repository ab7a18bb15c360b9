// Every stop can be continued, and every breakpoint works whenever it is set: going on from a stop
// taken before a task step (task-name breakpoint, taskResume) runs that step instead of stopping at
// it again, the next occurrence stops again; breakpoints set while the program runs take effect at
// once; taskSuspend stops at sleep(0) as a suspend breakpoint does. Breakpoints are never cleared
// before continuing here: that hid the repeated stop.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather, Task, type Coroutine } from 'loopscope';
import { join } from 'node:path';
import { listenForRuntime, type DebuggerListener } from '../../runtime/src/protocol/peer';
import { here, inProcessDebugger, lineOf, runProgram, until, Model, type InProcess } from './helpers';
import type { StoppedMessage } from '../../runtime/src/protocol/wire';

let dbg: InProcess | null = null;
let listener: DebuggerListener | null = null;
const children: { child: { kill(): void } }[] = [];
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
  listener?.close();
  listener = null;
  for (const c of children.splice(0)) c.child.kill();
});

function* worker(steps: number): Coroutine<number> {
  for (let i = 0; i < steps; i++) yield* sleep(0);
  return steps;
}

/** main runs `workers` workers of `steps` sleep(0) steps each (a worker takes steps + 1 task steps). */
function program(workers: number, steps: number, tasks: Task<unknown>[]): Coroutine<string> {
  return (function* main() {
    for (let i = 0; i < workers; i++) tasks.push(createTask(worker(steps), { name: `worker-${i + 1}` }));
    yield* gather(tasks);
    return 'ok';
  })();
}

/** Sends a command and waits for the stop that follows it, or for the program to end (null). */
async function goOn(d: InProcess, command: 'resume' | 'step' | 'stepTask' | 'stepOut', result: Promise<unknown>, args: Record<string, unknown> = {}): Promise<StoppedMessage | null> {
  const stop = d.nextStop();
  await d.conn.request(command, args as never);
  return Promise.race([stop, result.then(() => null)]);
}

/** Resumes until the program ends; returns every stop on the way with the stopped task's steps at that moment. */
async function resumeToEnd(d: InProcess, result: Promise<unknown>, limit = 50): Promise<{ reason: string; taskId?: number; steps: number; description: string }[]> {
  const seen: { reason: string; taskId?: number; steps: number; description: string }[] = [];
  for (let i = 0; i < limit; i++) {
    const s = await goOn(d, 'resume', result);
    if (s === null) return seen;
    seen.push({ reason: s.reason, taskId: s.taskId, steps: s.task?.task.steps ?? -1, description: s.description });
  }
  throw new Error(`still stopping after ${limit} continues: ${JSON.stringify(seen.slice(-3))}`);
}

describe('stops before a task step can be continued', () => {
  it('a task-name breakpoint stops before each step of that task, once each, and the task runs', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(2, 3, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 4, taskName: 'worker-2' }] });
    const stops = await resumeToEnd(d, result);
    const w2 = tasks[1];
    // worker-2 takes 4 steps: one stop before each, never twice before the same one.
    expect(stops.map((s) => [s.reason, s.taskId, s.steps])).toEqual([0, 1, 2, 3].map((n) => ['breakpoint', w2.id, n]));
    expect(stops[0].description).toBe('worker-2 is about to start');
    expect(stops[1].description).toMatch(/^worker-2 is about to resume/);
    expect(await result).toBe('ok');
  });

  it('the taskResume filter stops before each resume of the tasks it names, once each', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(2, 2, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: 'worker-1' }] });
    const stops = await resumeToEnd(d, result);
    expect(stops.map((s) => [s.reason, s.taskId, s.steps])).toEqual([0, 1, 2].map((n) => ['taskResume', tasks[0].id, n]));
    expect(await result).toBe('ok');
  });

  it('a task-name breakpoint and the taskResume filter on the same step: each stops once, then the step runs', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(1, 1, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 9, taskName: 'worker-*' }] });
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: 'worker-*' }] });
    const stops = await resumeToEnd(d, result);
    const w = tasks[0].id;
    expect(stops.map((s) => [s.reason, s.taskId, s.steps])).toEqual([
      ['breakpoint', w, 0],
      ['taskResume', w, 0],
      ['breakpoint', w, 1],
      ['taskResume', w, 1],
    ]);
    expect(await result).toBe('ok');
  });

  it('stepTask and stepOut from a stop before a task step run that step', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(2, 3, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: 'worker-2' }] });
    const first = await goOn(d, 'resume', result);
    const w2 = tasks[1];
    expect(first).toMatchObject({ reason: 'taskResume', taskId: w2.id, description: 'worker-2 is about to start' });
    // stepTask: worker-2's step runs and ends (a step stop), not the same taskResume stop again.
    const stepped = await goOn(d, 'stepTask', result, { taskId: w2.id });
    expect(stepped).toMatchObject({ reason: 'step', taskId: w2.id });
    expect(w2.steps()).toBe(1);
    // The next resume of worker-2 stops again (the filter is still set).
    const next = await goOn(d, 'resume', result);
    expect(next).toMatchObject({ reason: 'taskResume', taskId: w2.id });
    expect(w2.steps()).toBe(1);
    // stepOut from there: that step runs; the following resume stops at the filter again.
    const out = await goOn(d, 'stepOut', result, { taskId: w2.id });
    expect(out).toMatchObject({ reason: 'taskResume', taskId: w2.id });
    expect(w2.steps()).toBe(2);
    // step (the next task step, worker-2's) runs it.
    const one = await goOn(d, 'step', result);
    expect(one).toMatchObject({ reason: 'step', taskId: w2.id });
    expect(w2.steps()).toBe(3);
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [] });
    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
  });

  it('a pause taken before a task step, then continue: that step runs (a breakpoint on it stops once)', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(1, 1, tasks), { name: 'main' });
    const s0 = await entry;
    expect(s0.reason).toBe('entry');
    // Before main's first step: a task-name breakpoint on main stops there once more (another reason), then main runs.
    await d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 2, taskName: 'main' }] });
    const stops = await resumeToEnd(d, result);
    expect(stops.map((s) => [s.reason, s.taskId, s.steps])).toEqual([
      ['breakpoint', s0.taskId, 0],
      ['breakpoint', s0.taskId, 1],
    ]);
    expect(await result).toBe('ok');
  });
});

describe('several stops from one task step', () => {
  it('are each taken, in turn: three tasks created in one step, then a suspension of the same step', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(3, 1, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskCreated', taskName: 'worker-*' }, { kind: 'taskSuspend', taskName: 'main' }] });
    const stops = await resumeToEnd(d, result);
    expect(stops.map((s) => s.description.replace(/ at .*/, ''))).toEqual(['worker-1 created', 'worker-2 created', 'worker-3 created', 'main suspended']);
    // All four come from main's first step, taken before any worker ran.
    expect(stops.map((s) => s.steps)).toEqual([0, 0, 0, 1]);
    expect(await result).toBe('ok');
  });
});

describe('taskSuspend', () => {
  it('stops when a task suspends at sleep(0), as a suspend breakpoint on that line does (asyncio: await sleep(0) suspends)', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(program(2, 2, tasks), { name: 'main' });
    await entry;
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskSuspend', taskName: 'worker-2' }] });
    const stops = await resumeToEnd(d, result);
    // worker-2 suspends twice (two sleep(0)s); its third step finishes it.
    expect(stops.map((s) => [s.reason, s.taskId, s.steps])).toEqual([
      ['taskSuspend', tasks[1].id, 1],
      ['taskSuspend', tasks[1].id, 2],
    ]);
    expect(stops[0].description).toMatch(/^worker-2 suspended/);
    expect(await result).toBe('ok');
  });
});

describe('breakpoints set while the program runs take effect at once', () => {
  /** Workers that run until told to stop; main waits for them. */
  function endless(flag: { done: boolean }, tasks: Task<unknown>[]): Coroutine<string> {
    function* spin(): Coroutine<void> {
      while (!flag.done) yield* sleep(0);
    }
    return (function* main() {
      for (let i = 0; i < 2; i++) tasks.push(createTask(spin(), { name: `spinner-${i + 1}` }));
      yield* gather(tasks);
      return 'ok';
    })();
  }

  for (const [what, set] of [
    ['a task-name breakpoint', (d: InProcess) => d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 1, taskName: 'spinner-2' }] })],
    ['the taskResume filter', (d: InProcess) => d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: 'spinner-2' }] })],
  ] as const) {
    it(`${what}`, async () => {
      dbg = await inProcessDebugger();
      const d = dbg;
      const flag = { done: false };
      const tasks: Task<unknown>[] = [];
      const result = run(endless(flag, tasks), { name: 'main' });
      await until(() => tasks.length === 2 && tasks[1].steps() > 10, 10_000, 'the spinners running');
      const stop = d.nextStop();
      await set(d);
      // No other stop comes first: the breakpoint alone must stop the program (it spins until told).
      const s = await Promise.race([stop, until(() => tasks[1].steps() > 200_000, 60_000, 'a stop').then(() => null)]);
      expect(s).toMatchObject({ taskId: tasks[1].id });
      flag.done = true;
      await d.conn.request('setTaskBreakpoints', { breakpoints: [] });
      await d.conn.request('setLifecycleBreakpoints', { breakpoints: [] });
      await d.conn.request('resume', {});
      expect(await result).toBe('ok');
    });
  }
});

describe('a resume-mode source breakpoint (a real program)', () => {
  const TICKER = join(here, 'programs', 'ticker.ts');

  it('set while the program runs, it stops it; continued without clearing, it stops at the next resume, never twice at one', async () => {
    listener = await listenForRuntime();
    const p = runProgram('ticker.ts', listener.env(), ['60000']);
    children.push(p);
    const conn = await listener.accept(30_000);
    const model = new Model();
    conn.on('snapshot', (m) => model.snapshot(m));
    conn.on('delta', (m) => model.delta(m));
    let waiters: ((m: StoppedMessage) => void)[] = [];
    conn.on('stopped', (m) => {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f(m));
    });
    const nextStop = () => new Promise<StoppedMessage>((r) => waiters.push(r));
    // Running, with no stop so far (nothing else would put the agent in control of the loop).
    await until(() => [...model.tasks.values()].some((t) => t.name === 'tick-b' && t.steps > 2), 30_000, 'the tickers running');
    const line = lineOf(TICKER, 'BP-TICK');
    let stop = nextStop();
    await conn.request('setBreakpoints', { breakpoints: [{ id: 5, file: TICKER, line, mode: 'resume' }] });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await stop;
      expect(s).toMatchObject({ reason: 'breakpoint', breakpointIds: [5], location: { line } });
      expect(s.description).toMatch(new RegExp(`^tick-[ab] is about to resume from ticker\\.ts:${line}$`));
      seen.push(`${s.taskId}@${s.task!.task.steps}`);
      stop = nextStop();
      await conn.request('resume', {});
    }
    // Four stops, each before a different step (a task and its step count at the stop).
    expect(new Set(seen).size).toBe(4);
    await stop;
    await conn.request('setBreakpoints', { breakpoints: [] });
    await conn.request('resume', {});
  }, 60_000);
});

describe('task names of any type', () => {
  it('a Symbol name with a task-name breakpoint: no crash; a number name is sent as a string and matched', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const entry = d.nextStop();
    const result = run(
      (function* main() {
        const a = createTask(worker(1), { name: Symbol('sym') as unknown as string });
        const b = createTask(worker(1), { name: 42 as unknown as string });
        yield* gather([a, b]);
        return 'ok';
      })(),
      { name: 'main' },
    );
    await entry;
    await d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 1, taskName: '4*' }] });
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: 'Symbol(*)' }] });
    const stops = await resumeToEnd(d, result);
    expect(stops.map((s) => s.description)).toEqual(['Symbol(sym) is about to start', '42 is about to start', expect.stringMatching(/^Symbol\(sym\) is about to resume/), expect.stringMatching(/^42 is about to resume/)]);
    expect(await result).toBe('ok');
    const names = [...d.model.tasks.values()].map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Symbol(sym)', '42']));
    for (const n of names) expect(typeof n).toBe('string');
  });

  it('a task-name glob that a backtracking matcher takes exponential time on, against long names: the program runs on', async () => {
    // In a child process: before the fix the program froze in the glob's RegExp, which would freeze this test's own thread.
    listener = await listenForRuntime();
    const p = runProgram('longNames.ts', listener.env({ stopOnEntry: true }));
    children.push(p);
    const conn = await listener.accept(30_000);
    const stops: StoppedMessage[] = [];
    const entry = new Promise<void>((r) => conn.on('stopped', (m) => (stops.push(m), r())));
    await entry;
    await conn.request('setTaskBreakpoints', { breakpoints: [{ id: 1, taskName: '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b' }] });
    await conn.request('setLifecycleBreakpoints', { breakpoints: [{ kind: 'taskResume', taskName: '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b' }] });
    await conn.request('resume', {});
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('done');
    expect(stops.map((s) => s.reason)).toEqual(['entry']);
  }, 30_000);
});
