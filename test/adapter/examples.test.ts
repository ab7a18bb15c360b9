/**
 * The adapter on the programs in examples/, as their README promises: a suspend breakpoint on the
 * crawler's request stops each worker there; pausing the deadlock shows each transfer waiting on the
 * lock the other holds, and the await cycle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EXAMPLES, launchWith, lineWith, nextStop, programLaunch, scopeValues, stackText, startSession, threadNames, type Session } from './harness';

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

describe('examples/crawler.ts', () => {
  it('a suspend breakpoint on the request stops each worker there, inside its await chain', async () => {
    const crawler = join(EXAMPLES, 'crawler.ts');
    const request = lineWith(crawler, 'yield* sleep(latency)');
    const waitFor = lineWith(crawler, 'yield* waitFor(fetchPage(url)');
    s = await startSession();
    await launchWith(s, programLaunch(crawler, { env: { PAGES: '40' } }), { source: [{ path: crawler, breakpoints: [{ line: request }] }] });
    const workers = new Set<string>();
    for (let i = 0; i < 24 && workers.size < 4; i++) {
      const stop = await nextStop(s);
      expect(stop.reason).toBe('breakpoint');
      const name = (await scopeValues(s, stop.threadId!)).Task.name;
      workers.add(name);
      const stack = await stackText(s, stop.threadId!);
      expect(stack.slice(0, 3)).toEqual([`fetchPage crawler.ts:${request}`, '── await ──', `worker crawler.ts:${waitFor}`]);
      expect(stack).toContain('── created by Task-1 #1 ──');
      await s.dc.continueRequest({ threadId: stop.threadId! });
    }
    expect([...workers].sort()).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4']);
    const terminated = s.dc.waitForEvent('terminated', 20_000);
    await s.dc.setBreakpointsRequest({ source: { path: crawler }, breakpoints: [] });
    await s.dc.continueRequest({ threadId: 1 });
    await terminated;
    expect(s.output()).toMatch(/fetched \d+ pages, \d+ timed out/);
  });
});

describe('examples/deadlock.ts', () => {
  it('pausing shows each transfer on the lock the other holds, and the await cycle', async () => {
    const deadlock = join(EXAMPLES, 'deadlock.ts');
    const second = lineWith(deadlock, 'yield* second.acquire()');
    s = await startSession();
    await launchWith(s, programLaunch(deadlock));
    // Both transfers hold their first lock after 100 ms; then nothing is ever ready again.
    await s.waitForOutput(/holding <Lock[\s\S]*holding <Lock/);
    await new Promise((r) => setTimeout(r, 300));
    await s.dc.pauseRequest({ threadId: 1 });
    const stop = await nextStop(s);
    expect(stop.reason).toBe('pause');
    expect(stop.description).toBe('paused (the loop is idle: no task is ready)');
    const threads = await threadNames(s);
    const id = (name: string) => [...threads].find(([, n]) => n.startsWith(`${name} `))![0];
    for (const [me, other, lock] of [
      ['transfer-a', 'transfer-b', 'ledger'],
      ['transfer-b', 'transfer-a', 'accounts'],
    ]) {
      expect(threads.get(id(me))).toMatch(new RegExp(`^${me} #\\d+ suspended .* at deadlock\\.ts:${second}: Lock ${lock} held by ${other}`));
      expect((await stackText(s, id(me)))[0]).toBe(`transfer deadlock.ts:${second}`);
      const vars = await scopeValues(s, id(me));
      expect(vars.Awaiting.awaits).toBe(`Lock ${lock} held by ${other} (1st in line)`);
      expect(vars.Awaiting.lock).toBe(lock);
      expect(vars.Awaiting.holder).toMatch(new RegExp(`^${other} #`));
      expect(vars.Awaiting['⚠ await cycle']).toMatch(new RegExp(`^${me} → ${other} → ${me} \\(these tasks wait for each other: a deadlock\\)$`));
    }
  });
});
