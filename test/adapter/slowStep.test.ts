/**
 * Slow steps through the debug adapter: examples/slow-step.ts parses a large JSON report in one step;
 * the adapter prints asyncio's line ("Executing loader took 0.180 seconds (resumed at
 * slow-step.ts:23, suspended at slow-step.ts:32)") in the Debug Console, linked to the line it
 * resumed at, and sends 'loopscope/slowStep'. The launch setting slowStepMs reaches the runtime.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, launchWith, lineWith, programLaunch, scopeValues, startSession, type Session } from './harness';

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

const PROGRAM = join(EXAMPLES, 'slow-step.ts');
const RESUMED = lineWith(PROGRAM, 'yield* sleep(0); // the next piece arrives');
const SUSPENDED = lineWith(PROGRAM, 'yield* sleep(10); // saving the total');

describe('examples/slow-step.ts under the adapter', () => {
  it('prints "Executing loader took N seconds (resumed at …, suspended at …)" at the line it resumed at, and sends the custom event', async () => {
    s = await startSession();
    const outputs: DebugProtocol.OutputEvent['body'][] = [];
    const events: any[] = [];
    s.dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e.body));
    s.dc.on('loopscope/slowStep', (e: DebugProtocol.Event) => events.push(e.body));
    const terminated = s.dc.waitForEvent('terminated', 45_000);
    // 50 ms: the parse takes longer on any machine; the setting must reach the runtime.
    await launchWith(s, programLaunch(PROGRAM, { slowStepMs: 50 }));
    await s.waitForOutput(/report total/, 45_000);
    await terminated;
    const lines = outputs.filter((o) => o.output.startsWith('Executing loader took'));
    const pattern = new RegExp(`^Executing loader took (\\d+\\.\\d{3}) seconds \\(resumed at slow-step\\.ts:${RESUMED}, suspended at slow-step\\.ts:${SUSPENDED}\\)\\n$`);
    const parse = lines.filter((o) => pattern.test(o.output));
    expect(parse, `slow-step lines: ${JSON.stringify(lines)}`).toHaveLength(1);
    expect(Number(pattern.exec(parse[0].output)![1])).toBeGreaterThanOrEqual(0.05);
    expect(parse[0]).toMatchObject({ category: 'console', source: { name: 'slow-step.ts', path: PROGRAM }, line: RESUMED });
    const ev = events.find((e) => e.name === 'loader' && e.resumedAt?.line === RESUMED);
    expect(ev).toMatchObject({ type: 'slowStep', thresholdMs: 50, suspendedAt: { file: PROGRAM, line: SUSPENDED }, text: parse[0].output.trimEnd() });
    expect(ev.durationMs).toBeGreaterThanOrEqual(50);
  }, 60_000);

  it('the Task scope shows busy, scheduled and idle time, the longest step and the step durations', async () => {
    s = await startSession();
    await launchWith(s, programLaunch(PROGRAM, { slowStepMs: 100 }), { source: [{ path: PROGRAM, breakpoints: [{ line: SUSPENDED }] }] });
    // The loader suspends there right after its long step.
    const stop = await s.nextStop(45_000);
    const task = (await scopeValues(s, stop.threadId!)).Task;
    expect(task.name).toBe('loader');
    const ms = (text: string): number => {
      const m = /^([\d.]+) (ms|s)\b/.exec(text);
      if (!m) throw new Error(`not a duration: ${text}`);
      return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
    };
    expect(ms(task['longest step'])).toBeGreaterThanOrEqual(50);
    expect(ms(task.busy)).toBeGreaterThanOrEqual(ms(task['longest step']));
    expect(task.scheduled).toMatch(/ \(ready, waiting for the loop\)$/);
    expect(task.idle).toMatch(/^[\d.]+ (ms|s)$/);
    // The long step in its bucket: one step of 50 ms or more (the buckets from 50–100 ms up).
    expect(task['step durations']).toMatch(/(50–100 ms|100–200 ms|200–500 ms|500 ms–1 s|≥1 s) ×1/);
    await s.dc.continueRequest({ threadId: stop.threadId! });
  }, 60_000);

  it("refuses a slowStepMs that is not a number of milliseconds, naming the field", async () => {
    s = await startSession();
    await expect(s.dc.launch(programLaunch(PROGRAM, { slowStepMs: -5 }) as DebugProtocol.LaunchRequestArguments)).rejects.toThrow(/'slowStepMs' must be a number of milliseconds/);
  }, 30_000);
});
