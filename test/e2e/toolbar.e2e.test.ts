// Before any session, a breakpoint in a chosen mode from the editor (Loopscope: Add Breakpoint On
// Resume: VS Code's own Mode picker appears only after a Loopscope session has run in the window).
// Then the debug toolbar of the paused session: its Step Scheduler button is there (it was
// contributed to a menu id VS Code does not have, 'debug/toolbar', and never showed), and clicking it
// runs one scheduler step, after which the stop reads as a new stop.
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

describe('breakpoint modes and the debug toolbar of a Loopscope session', () => {
  const fx = useVSCode('toolbar', { settings: { 'loopscope.jsDebug': false, 'loopscope.tasks.foldIdentical': false } });
  const getLine = lineOf('crawler.ts', 'yield* frontier.get()');
  const stepButton = () => fx.wb.page.locator('.debug-toolbar .action-label[aria-label^="Step Scheduler"]');
  const pausedMessage = () => fx.wb.pane('Tasks').locator('.pane-body').innerText();
  const callStack = async () => (await fx.wb.rowLabels('Call Stack')).join('\n');

  it('adds an On Resume breakpoint before any session, and the session stops when a task resumes there', async () => {
    const { wb } = fx;
    await wb.openFile('crawler.ts');
    await wb.goToLine(getLine);
    await wb.runCommand('Loopscope: Add Breakpoint On Resume');
    await wb.openRunAndDebug();
    await wb.setSideBarWidth(520);
    for (const pane of ['Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Crawler');
    // A worker woken by the first links stops as it is about to resume from Queue.get (in suspend
    // mode it would have stopped as the first worker suspended there).
    await wb.waitForText(new RegExp(`Paused: worker-\\d is about to resume from crawler\\.ts:${getLine}`), { within: wb.pane('Tasks'), timeout: 60_000 });
    await wb.screenshot('resume-breakpoint');
  });

  it('shows Step Scheduler in the debug toolbar while the session is paused', async () => {
    await stepButton().waitFor({ timeout: 15_000 });
    await fx.wb.screenshot('toolbar-paused');
  });

  it('steps the scheduler when clicked: the head of the ready queue runs one step', async () => {
    const { wb } = fx;
    await wb.runCommand('Remove All Breakpoints'); // so the step is not cut short by one
    await wb.expandRow(await wb.waitForRow('Tasks', /^Ready queue \d+ tasks?\b/));
    const [, head] = await wb.waitForRows('Tasks', [/^Ready queue \d+ tasks?\b/, /^worker-\d, ready/]);
    const next = (await head!.getAttribute('aria-label'))!.split(',')[0]!;
    await stepButton().click();
    await expect.poll(pausedMessage, { timeout: 20_000 }).toMatch(new RegExp(`Paused: ${next} stepped: now suspended at crawler\\.ts:\\d+`));
    // The Call Stack reads it as a new stop: the thread that stepped leads, with its new place...
    await expect.poll(callStack, { timeout: 15_000 }).toMatch(new RegExp(`^Thread ${next} .*stepped: now suspended at crawler\\.ts:\\d+`, 'm'));
    // ...and no thread keeps the first stop's reason (VS Code keeps a thread's last reason until it
    // hears the loop continued; the thread stopped on first showed "Paused on breakpoint").
    expect(await callStack()).not.toMatch(/Paused on breakpoint/i);
    await wb.screenshot('toolbar-stepped');
  });
});
