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
    const parent = await wb.waitForRow('Call Stack', /^Session Deadlock\b/);
    if ((await parent.getAttribute('aria-expanded')) === 'false') await parent.locator('.monaco-tl-twistie').click();
    await wb.waitForRow('Call Stack', JS_SESSION);
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
    await wb.openFile('deadlock.ts');
    await wb.goToLine(logLine);
    await wb.runCommand('Debug: Toggle Breakpoint');
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
