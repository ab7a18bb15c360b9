// The deadlock example, as a user debugs it: start the "Deadlock" configuration from the palette, see
// both transfers in the Tasks view with the Lock each awaits and who holds it, the await cycle flagged
// at its source line, and the Task Inspector's await graph with the cycle.
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

// The JavaScript debugger alongside is covered in jsDebug.e2e.test.ts; here the Loopscope session alone.
describe('a Loopscope session on examples/deadlock.ts', () => {
  const fx = useVSCode('deadlock', { settings: { 'loopscope.jsDebug': false } });

  it('shows both tasks in the Tasks view, each on the Lock the other holds', async () => {
    const { wb } = fx;
    await wb.openFile('deadlock.ts');
    await wb.openRunAndDebug();
    await wb.setSideBarWidth(520);
    for (const pane of ['Variables', 'Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Deadlock');
    const main = await wb.waitForRow('Tasks', /^Task-1, /, 60_000);
    await main.click();
    await wb.page.keyboard.press('ArrowRight'); // expand: the transfers are Task-1's children
    // Once the cycle is found (it may be before this looks) the row's text starts with 'deadlock · '.
    await wb.waitForRow('Tasks', /^transfer-a, (deadlock · )?Lock ledger held by transfer-b\b/);
    await wb.waitForRow('Tasks', /^transfer-b, (deadlock · )?Lock accounts held by transfer-a\b/);
    await wb.screenshot('tasks-view');
  });

  it('flags the await cycle at the second acquire() line', async () => {
    const { wb } = fx;
    const line = lineOf('deadlock.ts', 'yield* second.acquire()');
    await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problems = wb.page.locator('.markers-panel .monaco-list-row');
    await expect
      .poll(() => problems.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? '')), { timeout: 30_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`await cycle transfer-a → transfer-b → transfer-a at line ${line}\\b.*Loopscope`))]));
    // The warning's squiggle in the editor, on that line.
    await expect.poll(() => wb.page.locator('.monaco-editor .squiggly-warning').count()).toBeGreaterThan(0);
    await wb.screenshot('cycle-flagged');
  });

  it('draws the await graph with the cycle in the Task Inspector', async () => {
    const { wb } = fx;
    await wb.clickViewAction('Tasks', 'Open Task Inspector');
    const graph = wb.webview().locator('svg.graph-canvas');
    await graph.locator('g.node').first().waitFor({ timeout: 30_000 });
    const cycleNodes = graph.locator('g.node.task.on-cycle');
    await expect.poll(() => cycleNodes.evaluateAll((ns) => ns.map((n) => (n.getAttribute('aria-label') ?? '').split(' ')[0]).sort())).toEqual(['transfer-a', 'transfer-b']);
    expect(await graph.locator('g.node.resource').evaluateAll((ns) => ns.map((n) => n.getAttribute('aria-label')?.split('.')[0]).sort())).toEqual(['lock accounts', 'lock ledger']);
    // a → ledger → b → accounts → a: four edges on the cycle.
    expect(await graph.locator('path.edge.on-cycle').count()).toBe(4);
    await wb.runCommand('View: Toggle Maximized Editor Group').catch(() => {});
    await wb.page.waitForTimeout(500);
    await wb.screenshot('inspector-graph');
  });
});
