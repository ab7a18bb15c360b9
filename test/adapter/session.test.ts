/**
 * A session from start to end against the standalone adapter and the real runtime: launch, tasks as
 * threads (with the maxThreads limit), stepping (one scheduler step, a task to its next suspension,
 * a task to its end), cancelling tasks, a crashing program, attaching to a listening program, and
 * the custom requests and events the extension relies on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROGRAMS, PROGRAMS_TSCONFIG, ROOT, launchWith, lineOf, nextStop, programLaunch, scopeValues, stackText, startSession, threadNames, type Session } from './harness';

const WORKERS = join(PROGRAMS, 'workers.ts');
const TICKERS = join(PROGRAMS, 'tickers.ts');

let s: Session | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
  child?.kill('SIGKILL');
  child = undefined;
});

describe('launch and threads', () => {
  it('runs a TypeScript program to its end, output in the console, exit code 0', async () => {
    s = await startSession();
    const terminated = s.dc.waitForEvent('terminated');
    const exited = s.dc.waitForEvent('exited');
    await launchWith(s, programLaunch(WORKERS));
    expect((await exited).body.exitCode).toBe(0);
    await terminated;
    expect(s.output()).toMatch(/results 6,6\n[\s\S]*The event loop closed \(main task done\)\.[\s\S]*The program exited with code 0\./);
    // The extension's tree was fed: a snapshot, then deltas with the workers.
    expect(s.events('loopscope/snapshot').length).toBeGreaterThan(0);
    const names = s.events('loopscope/delta').flatMap((e) => (e.body as { tasks: { name: string }[] }).tasks.map((t) => t.name));
    expect(new Set(names)).toEqual(new Set(['Task-1', 'worker-1', 'worker-2']));
  });

  it('stops on entry before the first task step; the main task is the thread', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS, { stopOnEntry: true }));
    const stop = await nextStop(s);
    expect(stop.reason).toBe('entry');
    expect(stop.allThreadsStopped).toBe(true);
    expect(stop.description).toBe('stopped on entry, before Task-1 starts');
    const threads = await threadNames(s);
    expect(threads.get(stop.threadId!)).toMatch(/^Task-1 #1 ready/);
    expect(await stackText(s, stop.threadId!)).toEqual(['── not started yet ──', '── created by run() ──']);
  });

  it('lists at most maxThreads tasks, the stopped one first, and says how many there are', async () => {
    s = await startSession();
    const many = join(PROGRAMS, 'many.ts');
    await launchWith(s, programLaunch(many, { maxThreads: 5 }), { source: [{ path: many, breakpoints: [{ line: lineOf(many, 'nap'), condition: 'sleeper-20' }] }] });
    const stop = await nextStop(s);
    const threads = (await s.dc.threadsRequest()).body.threads;
    expect(threads).toHaveLength(5);
    expect(threads[0].id).toBe(stop.threadId);
    expect(threads[0].name).toMatch(/^sleeper-20 #21 suspended/);
    await s.waitForOutput(/The Call Stack lists 5 of 21 tasks \('maxThreads'\); the Loopscope Tasks view shows every task\./);
  });
});

describe('stepping', () => {
  // Stepping reports where each step left its task: stacks 'always' makes every location exact.
  it('step in runs exactly one scheduler step: always the task at the head of the ready queue', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS, { stopOnEntry: true, stacks: 'always' }));
    let stop = await nextStop(s);
    const ran: string[] = [];
    for (let i = 0; i < 6; i++) {
      const queue = (await s.dc.customRequest('loopscope/readyQueue', {})).body as { taskIds: number[] };
      await s.dc.stepInRequest({ threadId: stop.threadId! });
      stop = await nextStop(s);
      expect(stop.reason).toBe('step');
      // A timer's task when nothing was ready; otherwise exactly the queue's head.
      if (queue.taskIds.length > 0) expect(stop.threadId).toBe(queue.taskIds[0]);
      ran.push(stop.description!);
    }
    expect(ran).toEqual([
      `Task-1 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'join')}`,
      `worker-1 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'sleep')}`,
      `worker-2 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'sleep')}`,
      `worker-1 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'sleep')}`,
      `worker-2 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'sleep')}`,
      'worker-1 stepped: it finished (done)',
    ]);
  });

  it('step over runs the selected task to its next suspension (others run meanwhile); step out runs it to its end', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS, { stopOnEntry: true, stacks: 'always' }));
    let stop = await nextStop(s);
    await s.dc.nextRequest({ threadId: stop.threadId! });
    stop = await nextStop(s);
    expect(stop.description).toBe(`Task-1 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'join')}`);
    const threads = await threadNames(s);
    const worker2 = [...threads].find(([, n]) => n.startsWith('worker-2'))![0];
    await s.dc.nextRequest({ threadId: worker2 });
    stop = await nextStop(s);
    expect(stop.threadId).toBe(worker2);
    expect(stop.description).toBe(`worker-2 stepped: now suspended at workers.ts:${lineOf(WORKERS, 'sleep')}`);
    // worker-1 was ahead of worker-2 in the ready queue: it ran its first step too.
    const worker1 = [...threads].find(([, n]) => n.startsWith('worker-1'))![0];
    expect((await scopeValues(s, worker1)).Task.steps).toBe('1');

    await s.dc.stepOutRequest({ threadId: worker2 });
    stop = await nextStop(s);
    expect(stop.threadId).toBe(worker2);
    expect(stop.description).toBe('worker-2 stepped: it finished (done)');
    expect((await stackText(s, worker2))[0]).toBe('── done → 6 ──');
  });

  it('pause stops the running loop; continue lets it finish', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(TICKERS));
    await s.waitForCustom('loopscope/snapshot');
    await s.dc.pauseRequest({ threadId: 1 });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('pause');
    const vars = await scopeValues(s, stop.threadId!);
    expect(vars.Task.name).toMatch(/^(Task-1|ticker-a|ticker-b)$/);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.waitForCustom('loopscope/continued');
  });
});

describe('cancelling tasks', () => {
  it('Terminate Thread cancels the task; loopscope/cancelTask cancels with a message', async () => {
    s = await startSession();
    const tick = lineOf(TICKERS, 'tick');
    await launchWith(s, programLaunch(TICKERS), { source: [{ path: TICKERS, breakpoints: [{ line: tick, condition: 'ticker-b' }] }] });
    const stop = await nextStop(s);
    const threads = await threadNames(s);
    const a = [...threads].find(([, n]) => n.startsWith('ticker-a'))![0];
    await s.dc.customRequest('terminateThreads', { threadIds: [a] });
    const r = await s.dc.customRequest('loopscope/cancelTask', { taskId: stop.threadId, message: 'from the Tasks view' });
    expect(r.body).toEqual({ cancelled: true });
    await s.dc.setBreakpointsRequest({ source: { path: TICKERS }, breakpoints: [] });
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await terminated;
    expect(s.output()).toContain('ticker-a cancelled after 0 ticks: cancelled from the debugger');
    expect(s.output()).toContain('ticker-b cancelled after 0 ticks: from the Tasks view');
    expect(s.output()).toContain('gather: CancelledError, CancelledError');
  });

  it('says clearly when a custom request lacks its task id', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(TICKERS, { stopOnEntry: true }));
    await nextStop(s);
    await expect(s.dc.customRequest('loopscope/cancelTask', { message: 'x' })).rejects.toThrow('loopscope/cancelTask needs { taskId: <a task id> }');
    await expect(s.dc.customRequest('loopscope/taskDetails', { taskId: 'one' })).rejects.toThrow('loopscope/taskDetails needs { taskId: <a task id> }');
  });

  it('loopscope/stepScheduler steps like Step Into; loopscope/setOptions answers the options in force', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(TICKERS, { stopOnEntry: true }));
    await nextStop(s);
    await s.dc.customRequest('loopscope/stepScheduler', {});
    const stop = await nextStop(s);
    expect(stop.reason).toBe('step');
    expect(stop.description).toMatch(/^Task-1 stepped: now suspended/);
    // Launched without `timeline`: off (it costs every task step) until a client asks for it.
    expect((await s.dc.customRequest('loopscope/setOptions', {})).body).toEqual({ timeline: false, stacks: 'always', flushIntervalMs: 50, freeze: [], thawWhenIdle: false, slowStepMs: 0 });
    expect((await s.dc.customRequest('loopscope/setOptions', { timeline: true })).body).toMatchObject({ timeline: true });
    const opts = (await s.dc.customRequest('loopscope/setOptions', { timeline: false, flushIntervalMs: 20 })).body;
    expect(opts).toEqual({ timeline: false, stacks: 'always', flushIntervalMs: 20, freeze: [], thawWhenIdle: false, slowStepMs: 0 });
    await expect(s.dc.customRequest('loopscope/setOptions', { stacks: 'sometimes' })).rejects.toThrow(/"stacks" must be "always", "sampled" or "off"/);
  });
});

describe('a crashing program', () => {
  it('shows the error and the exit code, then ends the session', async () => {
    s = await startSession();
    const exited = s.dc.waitForEvent('exited');
    const terminated = s.dc.waitForEvent('terminated');
    await launchWith(s, programLaunch(join(PROGRAMS, 'crash.ts')));
    expect((await exited).body.exitCode).toBe(1);
    await terminated;
    expect(s.output()).toContain('Error: the main task crashed');
    expect(s.output()).toContain('The event loop closed (main task failed: Error: the main task crashed).');
    expect(s.output()).toContain('The program exited with code 1.');
  });
});

describe('custom requests and events', () => {
  it('taskDetails, readyQueue, resources, snapshot, focusTask and breakOnResume', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: lineOf(WORKERS, 'sleep'), condition: 'worker-1' }] }] });
    const stop = await nextStop(s);
    const details = (await s.dc.customRequest('loopscope/taskDetails', { taskId: stop.threadId })).body;
    expect(details.task.name).toBe('worker-1');
    expect(details.suspendStack[0].line).toBe(lineOf(WORKERS, 'sleep'));
    expect(details.creationChain[0].name).toBe('Task-1');
    const rq = (await s.dc.customRequest('loopscope/readyQueue', {})).body;
    expect(rq).toMatchObject({ taskIds: expect.any(Array), callbacks: expect.any(Number) });
    expect((await s.dc.customRequest('loopscope/resources', {})).body).toEqual({ resources: [] });

    const snapshots = s.events('loopscope/snapshot').length;
    await s.dc.customRequest('loopscope/snapshot', {});
    await s.waitForCustom('loopscope/snapshot', () => s!.events('loopscope/snapshot').length > snapshots);

    // Focus worker-2: a stopped event names it, so VS Code selects its thread.
    const threads = await threadNames(s);
    const worker2 = [...threads].find(([, n]) => n.startsWith('worker-2'))![0];
    expect((await s.dc.customRequest('loopscope/focusTask', { taskId: worker2 })).body).toEqual({ focused: true });
    expect((await nextStop(s)).threadId).toBe(worker2);

    // Break when worker-2 next resumes (once), with the source breakpoint gone.
    await s.dc.customRequest('loopscope/breakOnResume', { taskId: worker2 });
    await s.dc.setBreakpointsRequest({ source: { path: WORKERS }, breakpoints: [] });
    await s.dc.continueRequest({ threadId: stop.threadId! });
    const again = await nextStop(s);
    expect(again.threadId).toBe(worker2);
    expect(again.reason).toBe('function breakpoint');
    // worker-2 had not run yet when worker-1 stopped: this is its first step.
    expect(again.description).toBe('worker-2 is about to start');
    // The tree hears of the stop too (the custom event follows the DAP one).
    expect(await s.waitForCustom('loopscope/stopped', (b) => b.taskId === worker2)).toMatchObject({ reason: 'breakpoint', taskId: worker2 });
  });
});

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('attach', () => {
  it('attaches to a program waiting with LOOPSCOPE_LISTEN, breaks in it, and detaching lets it finish', async () => {
    const port = await freePort();
    const secret = 'attach-test-secret';
    let out = '';
    child = spawn(process.execPath, ['--enable-source-maps', '--import', 'tsx', WORKERS], {
      cwd: ROOT,
      env: { ...process.env, LOOPSCOPE_LISTEN: `127.0.0.1:${port}`, LOOPSCOPE_SECRET: secret, LOOPSCOPE_STOP_ON_ENTRY: '1', TSX_TSCONFIG_PATH: PROGRAMS_TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    await expect.poll(() => out, { timeout: 15_000 }).toMatch(/waiting for a debugger to attach/);

    s = await startSession();
    await s.dc.initializeRequest();
    await expect(s.dc.attachRequest({ port, secret: 'wrong' } as never)).rejects.toThrow(/wrong session secret/);
    await s.dc.stop();

    s = await startSession();
    await s.dc.initializeRequest();
    await s.dc.attachRequest({ port, secret } as never);
    await s.dc.setBreakpointsRequest({ source: { path: WORKERS }, breakpoints: [{ line: lineOf(WORKERS, 'sleep') }] });
    await s.dc.configurationDoneRequest();
    let stop = await nextStop(s);
    expect(stop.reason).toBe('entry');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    stop = await nextStop(s);
    expect(stop.description).toBe(`worker-1 suspends at workers.ts:${lineOf(WORKERS, 'sleep')}`);
    await s.dc.disconnectRequest({ terminateDebuggee: false });
    s = undefined;
    expect(await exited).toBe(0);
    expect(out).toContain('results 6,6');
  });
});
