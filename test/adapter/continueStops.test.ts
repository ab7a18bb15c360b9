/**
 * Every stop can be continued, through the DAP as VS Code drives it: a stop taken before a task step
 * (resume-mode gutter breakpoint, function breakpoint, taskResume filter) is continued with the
 * breakpoint still set, the program goes on, and the next occurrence stops again, until the program
 * ends. (Continuing with the breakpoint cleared, as the other tests do, hid a stop repeated for ever.)
 * Breakpoints set while the program runs stop it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, launchWith, lineOf, nextStop, programLaunch, scopeValues, startSession, type Breakpoints, type Session } from './harness';

const WORKERS = join(PROGRAMS, 'workers.ts');
const TICKERS = join(PROGRAMS, 'tickers.ts');
const LIFECYCLE = join(PROGRAMS, 'lifecycle.ts');
const SLEEP = lineOf(WORKERS, 'sleep');

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

interface Seen {
  description: string;
  task: string;
  steps: string;
}

/** What a stop is about: its description, the stopped task and how many steps it had taken. */
async function seen(stop: DebugProtocol.StoppedEvent['body']): Promise<Seen> {
  const vars = await scopeValues(s!, stop.threadId!);
  return { description: stop.description ?? '', task: vars.Task.name, steps: vars.Task.steps };
}

/** Continues from every stop, breakpoints untouched, until the program ends; returns the stops (at most `limit`). */
async function continueToEnd(first: DebugProtocol.StoppedEvent['body'], limit = 12): Promise<Seen[]> {
  const out = [await seen(first)];
  const terminated = s!.dc.waitForEvent('terminated').then(() => null);
  for (;;) {
    await s!.dc.continueRequest({ threadId: first.threadId! });
    const next = await Promise.race([nextStop(s!), terminated]);
    if (next === null) return out;
    out.push(await seen(next));
    if (out.length > limit) throw new Error(`still stopping after ${limit} continues; the last stops: ${JSON.stringify(out.slice(-3))}`);
  }
}

const cases: [string, Breakpoints, string, (steps: number) => string][] = [
  ['a resume-mode gutter breakpoint', { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, mode: 'resume' } as never] }] }, 'worker-1', () => `worker-1 is about to resume from workers.ts:${SLEEP}`],
  ['a function breakpoint (task name)', { functions: [{ name: 'worker-2' }] }, 'worker-2', (steps) => (steps === 0 ? 'worker-2 is about to start' : `worker-2 is about to resume from workers.ts:${SLEEP}`)],
  ['the taskResume filter', { filters: [{ filterId: 'taskResume', condition: 'worker-1' }] }, 'worker-1', (steps) => (steps === 0 ? 'worker-1 is about to start' : `worker-1 is about to resume from workers.ts:${SLEEP}`)],
];

describe('continuing from a stop before a task step, the breakpoint still set', () => {
  for (const [what, bps, task, description] of cases) {
    it(`${what}: the program goes on and stops at each next occurrence, once`, async () => {
      s = await startSession();
      if (bps.source) bps.source[0].breakpoints = bps.source[0].breakpoints.map((b) => ({ ...b, condition: task }));
      await launchWith(s, programLaunch(WORKERS), bps);
      const stops = await continueToEnd(await nextStop(s));
      // Each stop is before a different step of that task (never the same one twice), in order.
      const steps = stops.map((x) => Number(x.steps));
      expect(stops.every((x) => x.task === task)).toBe(true);
      expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
      expect(stops.map((x) => x.description)).toEqual(steps.map(description));
      // fetchItem suspends twice in each worker: two resumes from the line (and one start for a task stop).
      expect(stops.length).toBe(what.startsWith('a resume-mode') ? 2 : 3);
      await s.waitForOutput(/results 6,6/);
    });
  }

  it('step and step over from such a stop run that step', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(WORKERS), { functions: [{ name: 'worker-2' }] });
    const first = await nextStop(s);
    expect(first.description).toBe('worker-2 is about to start');
    // Step over (next) on worker-2's thread: its next step runs and ends (a step stop), not the same stop again.
    await s.dc.nextRequest({ threadId: first.threadId! });
    const stepped = await nextStop(s);
    expect(stepped.reason).toBe('step');
    expect((await seen(stepped)).steps).toBe('1');
    // Continue: worker-2's next resume stops again; then step in (one scheduler step) runs it.
    await s.dc.continueRequest({ threadId: first.threadId! });
    const again = await nextStop(s);
    expect(again.description).toBe(`worker-2 is about to resume from workers.ts:${SLEEP}`);
    await s.dc.stepInRequest({ threadId: again.threadId! });
    const one = await nextStop(s);
    expect(one.reason).toBe('step');
    expect(await seen(one)).toMatchObject({ task: 'worker-2', steps: '2' });
  });
});

describe('continuing from every other kind of stop, the breakpoint still set', () => {
  const THROW = lineOf(LIFECYCLE, 'throw');
  const others: [string, string, Record<string, unknown>, Breakpoints, string[], RegExp][] = [
    ['a suspend-mode gutter breakpoint', WORKERS, {}, { source: [{ path: WORKERS, breakpoints: [{ line: SLEEP, condition: 'worker-1' }] }] }, [`worker-1 suspends at workers.ts:${SLEEP}`, `worker-1 suspends at workers.ts:${SLEEP}`], /results 6,6/],
    ['taskSuspend', WORKERS, {}, { filters: [{ filterId: 'taskSuspend', condition: 'worker-1' }] }, [`worker-1 suspended at workers.ts:${SLEEP}`, `worker-1 suspended at workers.ts:${SLEEP}`], /results 6,6/],
    ['taskCreated', WORKERS, {}, { filters: [{ filterId: 'taskCreated', condition: 'worker-*' }] }, [`worker-1 created at workers.ts:${lineOf(WORKERS, 'create1')}`, `worker-2 created at workers.ts:${lineOf(WORKERS, 'create2')}`], /results 6,6/],
    ['stop on entry', WORKERS, { stopOnEntry: true }, {}, ['stopped on entry, before Task-1 starts'], /results 6,6/],
    ['taskFailed', LIFECYCLE, {}, { filters: [{ filterId: 'taskFailed' }] }, ['failer failed: TypeError: bad input', 'forgotten failed: TypeError: bad input'], /main done/],
    ['taskCancelled', LIFECYCLE, {}, { filters: [{ filterId: 'taskCancelled' }] }, ['sleeper was cancelled by Task-1'], /main done/],
    ['unretrievedException', LIFECYCLE, { runtimeArgs: ['--expose-gc'] }, { filters: [{ filterId: 'unretrievedException' }] }, [`forgotten failed and its exception was never retrieved: TypeError: bad input at lifecycle.ts:${THROW}`], /main done/],
  ];
  for (const [what, program, extra, bps, descriptions, output] of others) {
    it(`${what}: each occurrence stops once and the program runs to its end`, async () => {
      s = await startSession();
      await launchWith(s, programLaunch(program, extra), bps);
      const stops = await continueToEnd(await nextStop(s));
      expect(stops.map((x) => x.description)).toEqual(descriptions);
      await s.waitForOutput(output);
    });
  }
});

describe('breakpoints set while the program runs', () => {
  const TICK = lineOf(TICKERS, 'tick');
  const kinds: [string, (s: Session) => Promise<unknown>][] = [
    ['a resume-mode gutter breakpoint', (s) => s.dc.setBreakpointsRequest({ source: { path: TICKERS }, breakpoints: [{ line: TICK, mode: 'resume' } as never] })],
    ['a function breakpoint', (s) => s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ticker-b' }] })],
    ['the taskResume filter', (s) => s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'taskResume', condition: 'ticker-b' }] })],
  ];
  for (const [what, set] of kinds) {
    it(`${what} stops the running program, and again after continue`, async () => {
      s = await startSession();
      await launchWith(s, programLaunch(TICKERS));
      // Running: the tickers have ticked (their task records reach the adapter as they change).
      await s.waitForCustom('loopscope/delta', (b: { tasks?: { name: string; steps: number }[] }) => !!b.tasks?.some((t) => t.name === 'ticker-b' && t.steps > 2));
      await set(s);
      const first = await nextStop(s);
      const a = await seen(first);
      expect(a.description).toMatch(/^ticker-[ab] is about to resume from tickers\.ts:\d+$/);
      await s.dc.continueRequest({ threadId: first.threadId! });
      const b = await seen(await nextStop(s));
      expect(b.description).toMatch(/^ticker-[ab] is about to resume from tickers\.ts:\d+$/);
      expect(`${b.task}@${b.steps}`).not.toBe(`${a.task}@${a.steps}`);
    });
  }
});
