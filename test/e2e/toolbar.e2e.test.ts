// The debug toolbar of a paused Loopscope session: its Step Scheduler button is there (it was
// contributed to a menu id VS Code does not have, 'debug/toolbar', and never showed), and clicking it
// runs one scheduler step: the head of the ready queue, after which the stop reads as a new stop.
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

describe('the debug toolbar of a Loopscope session', () => {
  const fx = useVSCode('toolbar', { settings: { 'loopscope.jsDebug': false, 'loopscope.tasks.foldIdentical': false } });
  const requestLine = lineOf('crawler.ts', 'yield* sleep(latency)');
  const getLine = lineOf('crawler.ts', 'yield* frontier.get()');
  const stepButton = () => fx.wb.page.locator('.debug-toolbar .action-label[aria-label^="Step Scheduler"]');
  const pausedMessage = () => fx.wb.pane('Tasks').locator('.pane-body').innerText();

  it('shows Step Scheduler while the session is paused', async () => {
    const { wb } = fx;
    await wb.toggleBreakpoint('crawler.ts', requestLine);
    await wb.openRunAndDebug();
    await wb.setSideBarWidth(520);
    for (const pane of ['Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Crawler');
    await wb.waitForText(new RegExp(`Paused: worker-\\d suspends at crawler\\.ts:${requestLine}`), { within: wb.pane('Tasks'), timeout: 60_000 });
    await stepButton().waitFor({ timeout: 15_000 });
    await wb.screenshot('toolbar-paused');
  });

  it('steps the scheduler when clicked: the head of the ready queue runs one step', async () => {
    const { wb } = fx;
    await wb.runCommand('Debug: Toggle Breakpoint'); // off again, so the step is not cut short by it
    await wb.expandRow(await wb.waitForRow('Tasks', /^Ready queue \d+ tasks?\b/));
    const [, head] = await wb.waitForRows('Tasks', [/^Ready queue \d+ tasks?\b/, /^worker-\d, ready/]);
    const next = (await head!.getAttribute('aria-label'))!.split(',')[0]!;
    await stepButton().click();
    await expect.poll(pausedMessage, { timeout: 20_000 }).toMatch(new RegExp(`Paused: ${next} stepped: now suspended at crawler\\.ts:${getLine}`));
    // The Call Stack reads it as a new stop: the thread that stepped leads, with its new place.
    await expect.poll(async () => (await wb.rowLabels('Call Stack')).join('\n'), { timeout: 15_000 }).toMatch(new RegExp(`^Thread ${next} .*stepped: now suspended at crawler\\.ts:${getLine}`, 'm'));
    // ...and no thread keeps the first stop's reason (VS Code keeps a thread's last reason until it
    // hears the loop continued; the thread stopped on first showed "Paused on breakpoint").
    expect((await wb.rowLabels('Call Stack')).join('\n')).not.toMatch(/Paused on breakpoint/i);
    await wb.screenshot('toolbar-stepped');
  });
});
