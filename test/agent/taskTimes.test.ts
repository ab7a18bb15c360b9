// Time per task and slow steps (agent/taskTimes.ts): a task that spins 150 ms in one step is
// reported once, with the lines it resumed and suspended at, and its busy, scheduled and idle times
// add up to its life; the loop's lag is sent once a second. The program runs through the await-site
// transform, as `loopscope run` and the debug adapter run it.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listenForRuntime, type DebuggerListener } from '../../runtime/src/protocol/peer';
import { STEP_BUCKETS_MS, type LoopLagMessage, type SlowStepMessage, type TaskRecord } from '../../runtime/src/protocol/wire';
import { run, createTask, sleep, fromPromise } from '../../runtime/src/index';
import { here, inProcessDebugger, lineOf, root, until, type InProcess } from './helpers';

const PROGRAM = join(here, 'programs', 'slowStep.ts');
const REGISTER = pathToFileURL(join(root, 'runtime/src/sites/register.ts')).href;
const RESUME_LINE = lineOf(PROGRAM, '@slow-resume');
const SUSPEND_LINE = lineOf(PROGRAM, '@slow-suspend');
/**
 * How far the coarse clock (a thread ticking every ~0.2 ms) may lag on a loaded machine: the thread
 * waits for a core like everyone (35 ms seen at load 10 on 2 cores), with margin.
 */
const TICK_MS = 50;

let listener: DebuggerListener | null = null;
let inProc: InProcess | null = null;
const children: ChildProcess[] = [];
afterEach(() => {
  listener?.close();
  listener = null;
  inProc?.cleanup();
  inProc = null;
  for (const c of children.splice(0)) c.kill();
});

// The in-process debuggers below read it when they connect: slow steps and time per task on, at asyncio's
// debug-mode 100 ms (they are off by default, for their cost).
process.env.LOOPSCOPE_SLOW_STEP_MS = '100';

function start(env: Record<string, string>, ms = 150) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', REGISTER, PROGRAM, String(ms)], {
    cwd: root,
    // Time per task and slow steps are off by default (their cost): on here at asyncio's debug-mode 100 ms.
    env: { ...process.env, LOOPSCOPE_CONNECT: '', LOOPSCOPE_LISTEN: '', LOOPSCOPE_SECRET: '', LOOPSCOPE_STOP_ON_ENTRY: '', LOOPSCOPE_SLOW_STEP_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { stdout: () => out, stderr: () => err, exit };
}

/** Runs the program under a debugger: its slow steps, and the last record of each task by name. */
async function watch(env: Record<string, string> = {}) {
  listener = await listenForRuntime();
  const p = start({ ...listener.env({ stopOnEntry: false }), ...env });
  const conn = await listener.accept(20000);
  const slow: SlowStepMessage[] = [];
  const records = new Map<string, TaskRecord>();
  conn.on('slowStep', (m) => slow.push(m));
  conn.on('snapshot', (m) => m.tasks.forEach((t) => records.set(t.name, t)));
  conn.on('delta', (m) => m.tasks.forEach((t) => records.set(t.name, t)));
  const closed = new Promise<void>((r) => conn.on('close', () => r()));
  expect(await p.exit).toBe(0);
  await closed;
  const life = JSON.parse(/life (\{.*\})/.exec(p.stdout())![1]) as { outer: number; inner: number };
  return { slow, records, life, stderr: p.stderr() };
}

describe('time per task and slow steps', () => {
  it('a task spinning 150 ms in one step is one slowStep, with the line it resumed at and the line it suspended at next', async () => {
    const { slow, stderr } = await watch();
    const hog = slow.filter((m) => m.name === 'hog');
    expect(hog, `slow steps ${JSON.stringify(slow)}; stderr ${stderr}`).toHaveLength(1);
    const s = hog[0];
    expect(s.durationMs).toBeGreaterThanOrEqual(150);
    expect(s.thresholdMs).toBe(100);
    expect(s.resumedAt?.file).toBe(PROGRAM);
    expect(s.resumedAt?.line).toBe(RESUME_LINE);
    expect(s.resumedAt?.function).toBe('hog');
    expect(s.suspendedAt?.line).toBe(SUSPEND_LINE);
    expect(s.outcome).toBeUndefined();
    expect(s.taskId).toBeGreaterThan(0);
  }, 30000);

  it("busy, scheduled and idle time add up to the task's life, within the clock's tick; the spin is its longest step, in its histogram", async () => {
    const { records, life } = await watch();
    const hog = records.get('hog')!;
    expect(hog.state).toBe('done');
    const sum = hog.busyMs! + hog.scheduledMs! + hog.idleMs!;
    // Its accounted life runs from its first scheduling to its last step's end: inside the program's
    // outer measure (before createTask .. after the await), around its inner one (first line .. last).
    // (Its first scheduling and last step's end are read on the real clock: only rounding differs.)
    expect(sum).toBeLessThanOrEqual(life.outer + 0.01);
    expect(sum).toBeGreaterThanOrEqual(life.inner - 0.01);
    expect(hog.busyMs!).toBeGreaterThanOrEqual(150);
    // Two sleeps (5 ms and 100 ms) suspended.
    expect(hog.idleMs!).toBeGreaterThanOrEqual(105 - TICK_MS);
    // Timed from its first step: the record says nothing more.
    expect(hog.timedSteps).toBeUndefined();
    expect(hog.longestStepMs!).toBeGreaterThanOrEqual(150);
    const h = hog.stepHistogram!;
    expect(h.reduce((a, b) => a + b, 0)).toBe(hog.steps);
    // The spin: in the bucket of steps from 100 ms to under 200 ms.
    const bucket = STEP_BUCKETS_MS.findIndex((b) => hog.longestStepMs! < b);
    expect(STEP_BUCKETS_MS[bucket - 1]).toBeLessThanOrEqual(hog.longestStepMs!);
    expect(h[bucket]).toBeGreaterThanOrEqual(1);
    // A task created just before the spin waited in the ready queue while the hog spun.
    expect(records.get('behind')!.scheduledMs!).toBeGreaterThanOrEqual(150 - TICK_MS);
  }, 30000);

  it('LOOPSCOPE_SLOW_STEP_MS raises the threshold: the same spin is not reported; setOptions slowStepMs is checked', async () => {
    const { slow } = await watch({ LOOPSCOPE_SLOW_STEP_MS: '5000' });
    expect(slow).toEqual([]);
  }, 30000);

  it('time the debugger held the loop stopped is not counted: a task ready through a 300 ms stop was not scheduled that long', async () => {
    inProc = await inProcessDebugger({ stopOnEntry: true });
    const { conn, model } = inProc;
    const entry = inProc.nextStop();
    function* main() {
      for (let i = 0; i < 3; i++) yield* sleep(0);
    }
    const done = run(main(), { name: 'held' });
    await entry;
    // The program is held stopped before its first step, its main task ready: as long as a user
    // would look at the entry stop.
    const heldFrom = performance.now();
    await new Promise((r) => setTimeout(r, 300));
    const held = performance.now() - heldFrom;
    await conn.request('resume', {});
    await done;
    await until(() => model.tasks.size > 0 && [...model.tasks.values()].some((t) => t.name === 'held' && t.state === 'done'), 5000, 'the task done');
    const t = [...model.tasks.values()].find((r) => r.name === 'held')!;
    expect(t.scheduledMs!).toBeLessThan(held - 150);
    expect(t.busyMs! + t.scheduledMs! + t.idleMs!).toBeLessThan(held - 150);
  }, 30000);

  it("the loop's lag: once a second, the mean time a step waited in the ready queue", async () => {
    inProc = await inProcessDebugger();
    const lags: LoopLagMessage[] = [];
    inProc.conn.on('loopLag', (m) => lags.push(m));
    const conn = inProc.conn;
    function* spinner() {
      for (;;) {
        const end = performance.now() + 2;
        while (performance.now() < end) {
          // each step holds the loop 2 ms: the other spinner waits that long
        }
        yield* sleep(0);
      }
    }
    let refused = '';
    function* main() {
      // (The session reads requests once the loop runs.)
      yield* fromPromise(conn.request('setOptions', { slowStepMs: -1 }).catch((e: Error) => (refused = e.message)));
      createTask(spinner(), { name: 'a' });
      createTask(spinner(), { name: 'b' });
      const end = performance.now() + 5000;
      while (lags.length === 0 && performance.now() < end) yield* sleep(20);
    }
    await run(main());
    expect(refused).toMatch(/slowStepMs.*0 or more/);
    expect(lags.length, 'a loopLag message within 5 s').toBeGreaterThan(0);
    const lag = lags[0];
    expect(lag.steps).toBeGreaterThan(10);
    expect(lag.periodMs).toBeGreaterThanOrEqual(1000);
    // Each spinner waits the other's 2 ms step (the main task's short steps pull the mean down a little).
    expect(lag.meanMs).toBeGreaterThanOrEqual(0.5);
    expect(lag.maxMs).toBeGreaterThanOrEqual(lag.meanMs);
  }, 30000);
});
