// A task that spins without giving the loop back: the runtime cannot answer anything meanwhile, but
// its watchdog tells the adapter, which says so in the console and in custom events, answers a
// pause within a second naming the task that holds the loop, and shows the stop when the loop is
// given back (a stop that can be continued to the program's end).
import { afterEach, describe, expect, it } from 'vitest';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { join } from 'node:path';
import { PROGRAMS, launchWith, lineOf, nextStop, programLaunch, startSession, type Session } from './harness';

const BLOCKING = join(PROGRAMS, 'blocking.ts');
const RESUME = `blocking.ts:${lineOf(BLOCKING, 'spin-resume')}`;

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

/** Custom events of one name as they arrive (the harness keeps only its own list of names). */
function collect(session: Session, name: string): any[] {
  const bodies: any[] = [];
  session.dc.on(name, (e: DebugProtocol.Event) => bodies.push(e.body));
  return bodies;
}

describe('a blocked loop', () => {
  it('is said in the console and in loopscope/loopBlocked events naming the task and its line, then loopUnblocked', async () => {
    s = await startSession();
    const blocked = collect(s, 'loopscope/loopBlocked');
    const unblocked = collect(s, 'loopscope/loopUnblocked');
    const terminated = s.dc.waitForEvent('terminated', 30_000);
    await launchWith(s, programLaunch(BLOCKING, { args: ['1500'] }));
    await s.waitForOutput(/The loop has been blocked for .* by task spinner-1 \(#\d+\), which resumed at blocking\.ts:\d+/, 20_000);
    expect(s.output()).toContain(`which resumed at ${RESUME}`);
    await s.waitForOutput(/The loop runs again after being blocked for \d\.\d s by spinner-1 \(#\d+\) at blocking\.ts:\d+\./, 20_000);
    await s.waitForOutput(/blocking done/, 20_000);
    await terminated;
    expect(blocked.length).toBeGreaterThanOrEqual(1);
    expect(blocked[0].text).toMatch(new RegExp(`^loop blocked \\d+ ms by spinner-1 \\(#\\d+\\) at ${RESUME.replace('.', '\\.')}$`));
    expect(blocked[0].taskName).toBe('spinner-1');
    expect(unblocked).toHaveLength(1);
    expect(unblocked[0].blockedMs).toBeGreaterThanOrEqual(1400);
    // The start and the end are said once each in the console, however many events came between.
    expect(s.output().match(/The loop has been blocked/g)).toHaveLength(1);
  }, 60_000);

  it('is not called a blocked loop while the JavaScript debugger holds the program (the extension says so)', async () => {
    s = await startSession();
    const blocked = collect(s, 'loopscope/loopBlocked');
    const terminated = s.dc.waitForEvent('terminated', 30_000);
    await launchWith(s, programLaunch(BLOCKING, { args: ['1500'] }));
    // (As the extension does when its JavaScript child session stops: the watchdog cannot tell the two apart.)
    await s.dc.customRequest('loopscope/jsDebugPaused', { paused: true });
    await s.waitForOutput(/blocking done/, 20_000);
    await terminated;
    expect(blocked).toEqual([]);
    expect(s.output()).not.toMatch(/The loop has been blocked|The loop runs again/);
  }, 60_000);

  it('a pause while a task spins is answered within a second, naming the task; the stop comes when the loop is given back and can be continued', async () => {
    s = await startSession();
    const waiting = collect(s, 'loopscope/pauseWaiting');
    const terminated = s.dc.waitForEvent('terminated', 40_000);
    await launchWith(s, programLaunch(BLOCKING, { args: ['4000'] }));
    // The spin has begun: the watchdog said so.
    await s.waitForOutput(/The loop has been blocked for .* by task spinner-1/, 20_000);
    const t0 = Date.now();
    await s.dc.pauseRequest({ threadId: 1 });
    const answeredMs = Date.now() - t0;
    expect(answeredMs).toBeLessThan(1000);
    await s.waitForOutput(/The loop is blocked by task spinner-1 \(#\d+\) at blocking\.ts:\d+ \(running for .*\): the pause takes effect when it gives the loop back\./, 5_000);
    expect(s.output()).toContain(`by task spinner-1`);
    expect(s.output()).toContain(` at ${RESUME} (running for `);
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    expect(waiting[waiting.length - 1].blocked.taskName).toBe('spinner-1');
    // No stop while the task spins: the stop is the pause, once the loop is given back.
    const stop = await nextStop(s, 30_000);
    expect(stop.reason).toBe('pause');
    await s.waitForOutput(/The loop runs again after being blocked/, 10_000);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.waitForOutput(/blocking done/, 20_000);
    await terminated;
  }, 60_000);
});
