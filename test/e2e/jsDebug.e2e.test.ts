// The default launch: the program also runs under VS Code's JavaScript debugger (a child session), so
// line breakpoints and locals keep working next to the task view. Both must come up: one JavaScript
// child session under the Loopscope one, and the runtime connected (tasks in the Tasks view); then an
// ordinary line breakpoint stops in the JavaScript debugger with the coroutine's locals.
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

describe('a Loopscope session with the JavaScript debugger alongside (the default)', () => {
  const fx = useVSCode('js-debug');
  const JS_SESSION = /^Session deadlock\.ts\b.*\(JavaScript\)/;

  it('runs the program once, under one JavaScript child session, with its tasks in the Tasks view', async () => {
    const { wb } = fx;
    await wb.openRunAndDebug();
    for (const pane of ['Variables', 'Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Deadlock');
    await wb.waitForRow('Tasks', /^Task-1, /, 60_000);
    // The JavaScript session is the Loopscope session's child: expand it in the Call Stack.
    await wb.expandUntilRow('Call Stack', /^Session Deadlock\b/, JS_SESSION);
    const sessions = (await wb.rowLabels('Call Stack')).filter((l) => JS_SESSION.test(l));
    // One Debug Console: js-debug attached, and the program's own output shows there.
    await wb.waitForText('Debugger attached.', { within: '.repl' });
    await wb.waitForText(/holding <Lock accounts \[locked\]>/, { within: '.repl' });
    await wb.screenshot('js-debug-session');
    expect(sessions, (await wb.rowLabels('Call Stack')).join('\n')).toHaveLength(1);
    await wb.stopDebugging();
  });

  it("stops on an ordinary line breakpoint in the JavaScript debugger, with the coroutine's locals", async () => {
    const { wb } = fx;
    const logLine = lineOf('deadlock.ts', 'console.log(`holding');
    await wb.toggleBreakpoint('deadlock.ts', logLine);
    await wb.setPaneExpanded('Variables');
    await wb.startDebugging('Deadlock');
    // js-debug pauses on the line: the editor shows it, and Variables lists transfer()'s arguments.
    await wb.page.locator('.debug-top-stack-frame-line').first().waitFor({ timeout: 60_000 });
    await wb.waitForText(new RegExp(`^Ln ${logLine}, Col \\d+$`), { within: '.statusbar' });
    await expect.poll(async () => (await wb.rowLabels('Variables')).join('\n'), { timeout: 20_000 }).toMatch(/^amount, value 10$/m);
    await wb.screenshot('js-debug-line-breakpoint');
    await wb.runCommand('Debug: Toggle Breakpoint');
    await wb.stopDebugging();
  });
});

describe('a task breakpoint with the JavaScript debugger alongside', () => {
  const fx = useVSCode('js-debug-task-breakpoint');
  const requestLine = lineOf('crawler.ts', 'yield* sleep(latency)');

  it("stops once, in both debuggers: the task in Loopscope, the coroutine's locals in the JavaScript debugger; one Continue goes on", async () => {
    const { wb } = fx;
    await wb.toggleBreakpoint('crawler.ts', requestLine);
    await wb.openRunAndDebug();
    await wb.setSideBarWidth(520);
    for (const pane of ['Variables', 'Watch', 'Breakpoints', 'Tasks']) await wb.setPaneExpanded(pane, false);
    await wb.startDebugging('Crawler');
    await wb.setPaneExpanded('Tasks', false);

    // Loopscope: the task that suspends there. The JavaScript debugger: paused by the runtime, with the
    // coroutine's frame (fetchPage on that line) below the runtime's (no stop of its own as the line starts).
    // (VS Code shows js-debug's target session inside its launch session, or folded into one row.)
    const jsPaused = /^Session crawler\.ts \[\d+\].* Paused on debugger statement$/;
    await wb.waitForRow('Call Stack', new RegExp(`^Thread worker-\\d #\\d+ .*suspends at crawler\\.ts:${requestLine}$`), 60_000);
    // Expand js-debug's launch session whenever it shows collapsed (it may gain its child only later).
    await expect
      .poll(
        async () => {
          const launchRow = await wb.waitForRow('Call Stack', /^Session crawler\.ts\b/);
          await wb.expandRow(launchRow);
          return (await wb.rowLabels('Call Stack')).some((l) => jsPaused.test(l));
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    // The JavaScript session's frames load after its row shows: wait until fetchPage is among them.
    const fetchPageFrame = new RegExp(`^Stack Frame fetchPage, line ${requestLine}, crawler\\.ts$`);
    let labels: string[] = [];
    await expect
      .poll(
        async () => {
          labels = await wb.rowLabels('Call Stack');
          const js = labels.findIndex((l) => jsPaused.test(l));
          return js >= 0 && labels.slice(js).some((l) => fetchPageFrame.test(l));
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(true);
    expect(labels.filter((l) => /Paused on breakpoint/.test(l)), labels.join('\n')).toEqual([]);

    await wb.setPaneExpanded('Variables');
    // The list is virtual and short: walk down from the JavaScript session's row with the keyboard, as
    // a user would, to its fetchPage frame, and open it (Enter).
    const localsOfJsFetchPage = async (): Promise<string> => {
      const pane = wb.pane('Call Stack');
      const focusedLabel = async () => (await pane.locator('.monaco-list-row.focused').getAttribute('aria-label', { timeout: 2000 }).catch(() => null)) ?? '';
      // The list re-renders as stacks load: click until the session row itself has the focus.
      for (let i = 0; i < 10; i++) {
        await (await wb.waitForRow('Call Stack', jsPaused)).click();
        await wb.page.waitForTimeout(200);
        if (jsPaused.test(await focusedLabel())) break;
      }
      if (!jsPaused.test(await focusedLabel())) return '';
      for (let i = 0; i < 20; i++) {
        await wb.page.keyboard.press('ArrowDown');
        if ((await focusedLabel()).startsWith('Stack Frame fetchPage')) {
          await wb.page.keyboard.press('Enter');
          break;
        }
      }
      const vars = (await wb.rowLabels('Variables')).join('\n');
      return /^latency, value \d+$/m.test(vars) ? (vars.match(/^url, value (.*)$/m)?.[1] ?? '') : '';
    };
    let firstUrl = '';
    await expect.poll(async () => (firstUrl = await localsOfJsFetchPage()), { timeout: 20_000 }).toMatch(/example\.test/);
    await wb.screenshot('task-breakpoint-with-locals');

    // One Continue (here on the JavaScript session, whose frame is selected) goes on in both
    // debuggers, to the next hit: another page.
    await wb.runCommand('Debug: Continue');
    await expect.poll(localsOfJsFetchPage, { timeout: 30_000 }).toMatch(/example\.test/);
    await expect.poll(localsOfJsFetchPage, { timeout: 30_000 }).not.toBe(firstUrl);
    await wb.stopDebugging();
  });
});
