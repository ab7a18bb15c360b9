/**
 * Every breakpoint kind stops the right task at the right line, against the standalone adapter and
 * the real runtime: gutter breakpoints in suspend and resume mode, with task-name conditions and hit
 * counts; lifecycle filters; function breakpoints by task name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PROGRAMS, launchWith, lineOf, nextStop, programLaunch, scopeValues, stackText, startSession, type Session } from './harness';

const WORKERS = join(PROGRAMS, 'workers.ts');
const LIFECYCLE = join(PROGRAMS, 'lifecycle.ts');
const SLEEP = lineOf(WORKERS, 'sleep');
const FETCH = lineOf(WORKERS, 'fetch');

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

async function taskName(threadId: number): Promise<string> {
  const vars = await scopeValues(s!, threadId);
  return vars.Task.name;
}

describe('source breakpoints', () => {
  it('suspend mode (the default) stops the first task that suspends on the line, with the await chain as its stack', async () => {
    s = await startSession();
    const r = await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP }] }] });
    const bp = r.source[0].body.breakpoints[0];
    const stop = await nextStop(s);
    expect(stop.reason).toBe('breakpoint');
    expect(stop.hitBreakpointIds).toEqual([bp.id]);
    expect(stop.description).toBe(`worker-1 suspends at workers.ts:${SLEEP}`);
    expect(await taskName(stop.threadId!)).toBe('worker-1');
    expect(await stackText(s, stop.threadId!)).toEqual([
      `fetchItem workers.ts:${SLEEP}`,
      '── await ──',
      `worker workers.ts:${FETCH}`,
      '── created by Task-1 #1 ──',
      `main workers.ts:${lineOf(WORKERS, 'create1')} (created)`,
    ]);
    // The breakpoint was pending until the runtime connected, then verified by it.
    expect(bp.verified).toBe(false);
    const frames = (await s.dc.stackTraceRequest({ threadId: stop.threadId! })).body.stackFrames;
    expect(frames[0].source?.path).toBe(WORKERS);
    expect(frames[0].column).toBeGreaterThan(1);
  });

  it('reports the breakpoint verified once the runtime has it', async () => {
    s = await startSession();
    const changed = s.dc.waitForEvent('breakpoint');
    await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP }] }] });
    const ev = (await changed) as { body: { reason: string; breakpoint: { verified: boolean; line: number } } };
    expect(ev.body.reason).toBe('changed');
    expect(ev.body.breakpoint).toMatchObject({ verified: true, line: SLEEP });
    await nextStop(s);
  });

  it('resume mode stops a task about to resume from the line', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, mode: 'resume' } as never] }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('breakpoint');
    // (The runtime's agent currently words it "resume from at"; reported, either form accepted meanwhile.)
    expect(stop.description).toBe(`worker-1 is about to resume from workers.ts:${SLEEP}`);
    const vars = await scopeValues(s, stop.threadId!);
    expect(vars.Task.name).toBe('worker-1');
    // Its sleep is over: it is ready, waiting for its turn, not awaiting anything any more.
    expect(vars.Task.state).toBe('ready');
    expect((await stackText(s, stop.threadId!))[0]).toBe(`fetchItem workers.ts:${SLEEP}`);
  });

  it('a task-name condition (name == "...") stops only that task', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, condition: 'name == "worker-2"' }] }] });
    const stop = await nextStop(s);
    expect(await taskName(stop.threadId!)).toBe('worker-2');
    expect(stop.description).toBe(`worker-2 suspends at workers.ts:${SLEEP}`);
  });

  it('a bare name condition and a hit count: the 2nd time worker-1 suspends there', async () => {
    s = await startSession();
    // Only the condition's tasks count as hits: worker-1's first sleep is hit 1, its second hit 2.
    await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, condition: 'worker-1', hitCondition: '2' }] }] });
    const stop = await nextStop(s);
    const vars = await scopeValues(s, stop.threadId!);
    expect(vars.Task.name).toBe('worker-1');
    expect(vars.Task.steps).toBe('2');
    // "and every hit after": a 3rd hit would stop too, but worker-1 fetches only 2 items; the program ends.
    const terminated = s.dc.waitForEvent('terminated');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await terminated;
    expect(s.output()).toContain('results 6,6');
  });

  it('refuses a condition that is not a task name, with the accepted forms', async () => {
    s = await startSession();
    const r = await launchWith(s, programLaunch(WORKERS), { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, condition: 'n > 1' }, { line: SLEEP, hitCondition: '%2' }] }] });
    const [cond, hits] = r.source[0].body.breakpoints;
    expect(cond.verified).toBe(false);
    expect(cond.message).toMatch(/conditions match the task's name.*worker-\*.*name == "worker-\*"/);
    expect(hits.verified).toBe(false);
    expect(hits.message).toMatch(/Hit count "%2" is not understood/);
    // Neither reaches the runtime: the program runs to its end.
    await s.dc.waitForEvent('terminated');
  });
});

describe('function breakpoints (by task name)', () => {
  it('stops when a task of that name is about to resume', async () => {
    s = await startSession();
    const r = await launchWith(s, programLaunch(WORKERS), { functions: [{ name: 'worker-2' }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('function breakpoint');
    expect(stop.hitBreakpointIds).toEqual([r.functions!.body.breakpoints[0].id]);
    expect(await taskName(stop.threadId!)).toBe('worker-2');
    // Its first step: it has not run yet.
    expect(stop.description).toBe('worker-2 is about to start');
  });

  it('refuses a name that is not a task name', async () => {
    s = await startSession();
    const r = await launchWith(s, programLaunch(WORKERS), { functions: [{ name: 'a b' }, { name: 'worker-*', condition: 'x' }] });
    expect(r.functions!.body.breakpoints.map((b) => b.verified)).toEqual([false, false]);
    expect(r.functions!.body.breakpoints[0].message).toMatch(/names a task: a glob such as worker-\* or #id/);
    await s.dc.waitForEvent('terminated');
  });
});

describe('lifecycle breakpoints (exception filters)', () => {
  it('taskCreated with a task-name condition stops at the creation, naming the new task', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { filters: [{ filterId: 'taskCreated', condition: 'worker-*' }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('breakpoint');
    expect(stop.description).toBe(`worker-1 created at workers.ts:${lineOf(WORKERS, 'create1')}`);
    const vars = await scopeValues(s, stop.threadId!);
    expect(vars.Task).toMatchObject({ name: 'worker-1', state: 'ready', steps: '0' });
    expect(await stackText(s, stop.threadId!)).toEqual(['── not started yet ──', '── created by Task-1 #1 ──', `main workers.ts:${lineOf(WORKERS, 'create1')} (created)`]);
  });

  it('taskSuspend and taskResume stop the named task', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { filters: [{ filterId: 'taskSuspend', condition: 'name == "worker-2"' }] });
    let stop = await nextStop(s);
    expect(stop.description).toBe(`worker-2 suspended at workers.ts:${SLEEP}`);
    await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'taskResume', condition: 'worker-2' }] });
    await s.dc.continueRequest({ threadId: stop.threadId! });
    stop = await nextStop(s);
    expect(stop.description).toBe(`worker-2 is about to resume from workers.ts:${SLEEP}`);
  });

  it('taskFailed stops on the failed task, with its exception as the stack and exceptionInfo', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(LIFECYCLE), { filters: [{ filterId: 'taskFailed' }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('exception');
    expect(stop.text).toBe('TypeError');
    expect(stop.description).toBe('failer failed: TypeError: bad input');
    const stack = await stackText(s, stop.threadId!);
    expect(stack[0]).toBe('── failed: TypeError: bad input ──');
    expect(stack[1]).toBe(`failer lifecycle.ts:${lineOf(LIFECYCLE, 'throw')}`);
    const info = await s.dc.exceptionInfoRequest({ threadId: stop.threadId! });
    expect(info.body).toMatchObject({ exceptionId: 'TypeError', description: 'bad input', breakMode: 'always' });
  });

  it('taskCancelled stops on the cancelled task', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(LIFECYCLE), { filters: [{ filterId: 'taskCancelled' }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('exception');
    expect(stop.description).toBe('sleeper was cancelled by Task-1');
    const vars = await scopeValues(s, stop.threadId!);
    expect(vars.Task).toMatchObject({ name: 'sleeper', state: 'cancelled by Task-1 ("no longer needed")' });
    const info = await s.dc.exceptionInfoRequest({ threadId: stop.threadId! });
    expect(info.body).toMatchObject({ exceptionId: 'CancelledError', description: 'cancelled: no longer needed' });
  });

  it('unretrievedException stops when a failed task was never awaited', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(LIFECYCLE, { runtimeArgs: ['--expose-gc'] }), { filters: [{ filterId: 'unretrievedException' }] });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('exception');
    expect(stop.description).toBe(`forgotten failed and its exception was never retrieved: TypeError: bad input at lifecycle.ts:${lineOf(LIFECYCLE, 'throw')}`);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.dc.waitForEvent('terminated');
  });

  it('refuses an unknown filter and a bad condition', async () => {
    s = await startSession();
    await s.dc.launch(programLaunch(WORKERS));
    const r = await s.dc.setExceptionBreakpointsRequest({ filters: ['uncaught'], filterOptions: [{ filterId: 'taskCreated', condition: 'a && b' }] });
    expect(r.body!.breakpoints!.map((b) => b.verified)).toEqual([false, false]);
    expect(r.body!.breakpoints![0].message).toMatch(/Unknown filter "uncaught"; Loopscope's are taskCreated, taskSuspend/);
  });
});
