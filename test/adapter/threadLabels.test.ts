/**
 * What the Call Stack shows over time: VS Code reads thread names only after a stopped or thread
 * event and shows them until the next one. While the program runs the names must follow the tasks
 * (and the time they have waited); after Step Scheduler the stop must read as a new stop, not as more
 * of the previous one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRAMS, launchWith, lineOf, nextStop, programLaunch, scopeValues, startSession, threadNames, type Session } from './harness';

const MOVER = join(PROGRAMS, 'mover.ts');

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

/** The thread names VS Code would show: read again after each thread event, as VS Code does. */
function followThreads(session: Session) {
  let names = new Map<number, string>();
  let reads = 0;
  let waiters: (() => void)[] = [];
  session.dc.on('thread', async () => {
    names = await threadNames(session);
    reads++;
    for (const w of waiters) w();
  });
  return {
    get reads() {
      return reads;
    },
    /** Resolves with the names as last read once `pred` holds for them. */
    until(pred: (names: Map<number, string>) => boolean, what: string, timeoutMs = 10_000): Promise<Map<number, string>> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred(names)) return;
          waiters = waiters.filter((w) => w !== check);
          clearTimeout(timer);
          resolve(names);
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; the Call Stack shows: ${[...names.values()].join(' | ') || '(nothing read)'}`)), timeoutMs);
        waiters.push(check);
        check();
      });
    },
  };
}

const mover = (names: Map<number, string>) => [...names.values()].find((n) => n.startsWith('mover')) ?? '';

describe('thread names while the program runs', () => {
  it('follow the task from its sleep to Queue.get, then the time it has waited there, with no stop', async () => {
    s = await startSession();
    const shown = followThreads(s);
    await launchWith(s, programLaunch(MOVER));
    // First it naps...
    await shown.until((n) => mover(n).includes('sleep 2.0 s'), 'mover shown in its sleep');
    // ...then it waits on the queue: the Call Stack says so without any stop in between.
    const onQueue = await shown.until((n) => mover(n).includes('Queue.get on orders (empty)'), 'mover shown on Queue.get');
    // (On a loaded machine the first name seen on the queue may already count a second or more.)
    expect(mover(onQueue)).toMatch(/^mover #\d+ suspended( \d+ ms| \d+\.\d s)? at mover\.ts:7: Queue\.get on orders \(empty\)$/);
    // Nothing else happens, but the time it has waited keeps counting in its name.
    const later = await shown.until((n) => /suspended \d+\.\d s at/.test(mover(n)), 'mover shown waiting over a second');
    expect(mover(later)).toMatch(/^mover #\d+ suspended [1-9]\.\d s at mover\.ts:7: Queue\.get on orders \(empty\)$/);
  });
});

describe('a task cancelled during a stop', () => {
  it('the stop is announced again, and read again it says "cancelling" (threads and the Task scope), before any step', async () => {
    s = await startSession();
    const nap = lineOf(MOVER, 'nap');
    await launchWith(s, programLaunch(MOVER), { source: [{ path: MOVER, breakpoints: [{ line: nap }] }] });
    const stop = await nextStop(s);
    const moverId = stop.threadId!;
    // What VS Code read at the stop.
    expect((await threadNames(s)).get(moverId)).toMatch(/^mover #\d+ suspended/);
    expect((await scopeValues(s, moverId)).Task!.cancelling).toBe('0');
    await s.dc.customRequest('loopscope/cancelTask', { taskId: moverId, message: 'from the Tasks view' });
    // VS Code re-reads a stop only when told: the same stop comes again...
    const again = await nextStop(s);
    expect(again).toMatchObject({ reason: stop.reason, description: stop.description, threadId: moverId, allThreadsStopped: true });
    // ...and read again, the stopped task says it is being cancelled (the loop has not moved).
    expect((await threadNames(s)).get(moverId)).toMatch(/^mover #\d+ ready, cancelling/);
    expect((await scopeValues(s, moverId)).Task!.cancelling).toBe('1');
  });
});

describe('stops after Step Scheduler', () => {
  it('the loop is said to continue, then a new stop comes with its own reason and description', async () => {
    s = await startSession();
    const nap = lineOf(MOVER, 'nap');
    await launchWith(s, programLaunch(MOVER), { source: [{ path: MOVER, breakpoints: [{ line: nap }] }] });
    const first = await nextStop(s);
    expect(first.reason).toBe('breakpoint');
    expect(first.description).toMatch(/^mover suspends at mover\.ts:6/);
    const events: string[] = [];
    s.dc.on('continued', () => events.push('continued'));
    s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => events.push(`stopped (${e.body.reason}): ${e.body.description}`));
    await s.dc.setBreakpointsRequest({ source: { path: MOVER }, breakpoints: [] });
    await s.dc.customRequest('loopscope/stepScheduler', {});
    const second = await nextStop(s);
    // VS Code clears the first stop's details (the session's description, every thread's reason) on
    // a continued event; without it the first stop's description stayed on the session.
    expect(events).toEqual(['continued', `stopped (step): ${second.description}`]);
    expect(second.reason).toBe('step');
    expect(second.description).toMatch(/stepped/);
    expect(second.description).not.toBe(first.description);
  });
});
