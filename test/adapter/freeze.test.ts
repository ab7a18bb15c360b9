/**
 * Freeze and thaw a task through the adapter's custom requests, on examples/race.ts: frozen, a task
 * is said to be in the thread names and the Call Stack, takes no step while the other deposit runs,
 * and thawed it runs after it: the other order's outcome (both deposits counted).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EXAMPLES, launchWith, lineWith, nextStop, programLaunch, stackText, startSession, threadNames, type Session } from './harness';

const RACE = join(EXAMPLES, 'race.ts');

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

describe('loopscope/freezeTask and loopscope/thawTask', () => {
  it('freeze deposit-b at the first stop: deposit-a writes alone, then thawed deposit-b reads its write (balance 2)', async () => {
    const sleepLine = lineWith(RACE, 'yield* sleep(50)');
    s = await startSession();
    await launchWith(s, programLaunch(RACE), { source: [{ path: RACE, breakpoints: [{ line: sleepLine }] }] });
    const stop = await nextStop(s);
    expect(stop.description).toMatch(/^deposit-a suspends at race\.ts:/);
    const threads = await threadNames(s);
    const b = [...threads].find(([, n]) => n.startsWith('deposit-b '))![0];

    const restated = s.nextStop();
    expect((await s.dc.customRequest('loopscope/freezeTask', { taskId: b })).body).toEqual({ frozen: true });
    // The stop is announced again so that VS Code reads the threads: deposit-b says it is frozen.
    expect(await restated).toMatchObject({ threadId: stop.threadId, description: stop.description });
    expect((await threadNames(s)).get(b)).toMatch(/^deposit-b #\d+ ❄ frozen, ready/);
    expect((await stackText(s, b)).slice(0, 2)).toEqual(['── ❄ frozen: it takes no step until thawed ──', '── not started yet ──']);
    // Frozen, it is not in the ready queue.
    const ready = (await s.dc.customRequest('loopscope/readyQueue', {})).body as { taskIds: number[] };
    expect(ready.taskIds).not.toContain(b);

    await s.dc.setBreakpointsRequest({ source: { path: RACE }, breakpoints: [] });
    await s.dc.continueRequest({ threadId: stop.threadId! });
    await s.waitForOutput(/deposit-a wrote 1/);
    // deposit-a has finished; main waits on deposit-b alone, which waits to be thawed.
    await s.waitForCustom('loopscope/delta', (d) => (d as { tasks: { name: string; state: string }[] }).tasks.some((t) => t.name === 'deposit-a' && t.state === 'done'));
    expect((await threadNames(s)).get(b)).toMatch(/^deposit-b #\d+ ❄ frozen, ready/);
    expect(s.output()).not.toMatch(/deposit-b wrote/);

    const terminated = s.dc.waitForEvent('terminated', 20_000);
    expect((await s.dc.customRequest('loopscope/thawTask', { taskId: b })).body).toEqual({ thawed: true });
    await terminated;
    expect(s.output()).toMatch(/deposit-a wrote 1[\s\S]*deposit-b wrote 2[\s\S]*balance: 2 \(both deposits counted\)/);
  });

  it('a bad task id is refused with a message saying what is wrong', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(RACE, { stopOnEntry: true }));
    await nextStop(s);
    await expect(s.dc.customRequest('loopscope/freezeTask', {})).rejects.toThrow(/loopscope\/freezeTask needs \{ taskId: <a task id> \}/);
    await expect(s.dc.customRequest('loopscope/thawTask', { taskId: 99_999 })).rejects.toThrow(/no unfinished task with id 99999/);
  });
});
