/**
 * Never-awaited coroutines through the debug adapter: examples/forgotten.ts forgets a `yield*` in
 * each of its three workers; the adapter forwards the runtime's report as 'loopscope/neverAwaited'
 * and prints one Debug Console line for the call site, linked to it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXAMPLES, launchWith, lineWith, programLaunch, startSession, type Session } from './harness';

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

describe('examples/forgotten.ts under the adapter', () => {
  it('prints "coroutine \'saveResult\' was never awaited" once, at its line, and sends the custom event', async () => {
    const forgotten = join(EXAMPLES, 'forgotten.ts');
    const line = lineWith(forgotten, 'saveResult(job, job * job); // ← bug');
    s = await startSession();
    const outputs: DebugProtocol.OutputEvent['body'][] = [];
    const reports: any[] = [];
    s.dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e.body));
    s.dc.on('loopscope/neverAwaited', (e: DebugProtocol.Event) => reports.push(e.body));
    const terminated = s.dc.waitForEvent('terminated', 45_000);
    await launchWith(s, programLaunch(forgotten));
    // (The program's last line and the warning, whichever comes first; then its end.)
    await s.waitForOutput(/saved 0 of 3 results/, 45_000);
    await s.waitForOutput(/was never awaited/, 45_000);
    await terminated;
    const warnings = outputs.filter((o) => o.output.includes('was never awaited'));
    expect(warnings).toEqual([
      {
        category: 'console',
        output: `coroutine 'saveResult' was never awaited (forgotten.ts:${line}): call it with yield* or pass it to createTask\n`,
        source: { name: 'forgotten.ts', path: forgotten },
        line,
        column: 3,
      },
    ]);
    expect(reports.flatMap((r) => r.coroutines)).toEqual([{ name: 'saveResult', location: { file: forgotten, line, column: 3, function: 'worker' } }]);
  }, 60_000);
});
