// The lost-wakeup example as a user meets it: the program hangs; Loopscope shows the server task
// suspended on an Event nobody is left to set, raised as a warning at the wait's line (and its
// creator, waiting on it, at its own line).
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

describe('a Loopscope session on examples/lost-wakeup.ts', () => {
  const fx = useVSCode('lost-wakeup');

  it('flags the stuck server at its Event.wait line: no task left can wake it', async () => {
    const { wb } = fx;
    const waitLine = lineOf('lost-wakeup.ts', 'yield* configReady.wait()');
    const awaitLine = lineOf('lost-wakeup.ts', 'yield* s;');
    await wb.openFile('lost-wakeup.ts');
    await wb.openRunAndDebug();
    for (const pane of ['Variables', 'Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Lost wakeup');

    // The Tasks view: main awaiting the server, the server on the Event.
    const [main] = await wb.waitForRows('Tasks', [/^Task-1, task server/], 60_000);
    await wb.expandRow(main!);
    await wb.waitForRow('Tasks', /^server, Event config-ready \(not set\)/);

    await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problems = wb.page.locator('.markers-panel .monaco-list-row');
    const labels = () => problems.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    await expect
      .poll(labels, { timeout: 30_000 })
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`Task server is stuck: no task left can wake it at line ${waitLine}\\b.*Loopscope`)),
          expect.stringMatching(new RegExp(`Task Task-1 is stuck: waits for server, which is stuck at line ${awaitLine}\\b.*Loopscope`)),
        ]),
      );
    await expect.poll(() => wb.page.locator('.monaco-editor .squiggly-warning').count()).toBeGreaterThan(0);
    await wb.screenshot('stuck-flagged');
    await wb.stopDebugging();
  });
});
