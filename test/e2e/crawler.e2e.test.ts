// The crawler example, stepped as a user would: a suspend breakpoint on an await line stops there with
// the task's await chain, the scheduler steps one task at a time (the head of the ready queue runs
// next), and a task cancelled from the Tasks view changes state.
import { describe, expect, it } from 'vitest';
import { lineOf } from './harness/examples';
import { useVSCode } from './harness/useVSCode';

describe('a Loopscope session on examples/crawler.ts', () => {
  // Unfolded, so the task cancelled below keeps its own row among its identical siblings.
  const fx = useVSCode('crawler', { settings: { 'loopscope.jsDebug': false, 'loopscope.tasks.foldIdentical': false } });
  const requestLine = lineOf('crawler.ts', 'yield* sleep(latency)');
  const waitForLine = lineOf('crawler.ts', 'yield* waitFor(fetchPage(url)');
  const getLine = lineOf('crawler.ts', 'yield* frontier.get()');
  /** The task name in the Tasks view's "Paused: ..." message. */
  const pausedMessage = () => fx.wb.pane('Tasks').locator('.pane-body').innerText();

  it('stops on a suspend breakpoint on an await line, with the await chain', async () => {
    const { wb } = fx;
    await wb.toggleBreakpoint('crawler.ts', requestLine);
    await wb.openRunAndDebug();
    await wb.setSideBarWidth(520);
    for (const pane of ['Watch', 'Breakpoints']) await wb.setPaneExpanded(pane, false);
    await wb.setPaneExpanded('Tasks');
    await wb.startDebugging('Crawler');

    await wb.waitForText(new RegExp(`Paused: worker-\\d suspends at crawler\\.ts:${requestLine}`), { within: wb.pane('Tasks'), timeout: 60_000 });
    // The editor shows the stop on that line.
    await wb.page.locator('.debug-top-stack-frame-line').first().waitFor({ timeout: 15_000 });
    await wb.waitForText(new RegExp(`^Ln ${requestLine}, Col \\d+$`), { within: '.statusbar' });
    // The Call Stack: the stopped task, then its await chain — fetchPage at the request, awaited by worker at waitFor.
    // (VS Code shows the top frame first and loads the rest of the chain just after.)
    const chain = new RegExp(`^Thread worker-\\d .*suspends at crawler\\.ts:${requestLine}\nStack Frame fetchPage, line ${requestLine}, crawler\\.ts\n.*\nStack Frame worker, line ${waitForLine}, crawler\\.ts$`, 'm');
    await expect.poll(async () => (await wb.rowLabels('Call Stack')).join('\n'), { timeout: 15_000 }).toMatch(chain);
    await wb.screenshot('breakpoint-stop');
  });

  it('steps the scheduler: the head of the ready queue runs one step', async () => {
    const { wb } = fx;
    await wb.runCommand('Debug: Toggle Breakpoint'); // off again, so steps are not cut short by it
    // The Ready queue section lists tasks in scheduling order: its first child runs next. (It opens
    // expanded; a user who finds it folded opens it.)
    await wb.expandRow(await wb.waitForRow('Tasks', /^Ready queue \d+ tasks?\b/));
    const [, head] = await wb.waitForRows('Tasks', [/^Ready queue \d+ tasks?\b/, /^worker-\d, ready/]);
    const next = (await head!.getAttribute('aria-label'))!.split(',')[0]!;
    await wb.clickViewAction('Tasks', 'Step Scheduler');
    await expect.poll(pausedMessage, { timeout: 20_000 }).toMatch(new RegExp(`Paused: ${next} stepped: now suspended at crawler\\.ts:${getLine}`));
    await wb.screenshot('scheduler-step');
  });

  it('cancels a task from the Tasks view and shows its new state', async () => {
    const { wb } = fx;
    // The worker whose request is in flight (sleep), under the main task — cancel it with the row's context menu.
    await wb.expandRow(await wb.waitForRow('Tasks', /^Task-1, /));
    const row = await wb.waitForRow('Tasks', /^worker-\d, sleep\b/);
    const name = (await row.getAttribute('aria-label'))!.split(',')[0]!;
    await wb.contextMenu(row, 'Cancel Task');
    await wb.waitForRow('Tasks', new RegExp(`^${name}, .*cancelling`));
    // The cancellation lands when the task next runs: step until it has (and no further, so that the
    // screenshot shows the step that cancelled it).
    const cancelled = new RegExp(`^${name}, cancelled: cancelled from VS Code`, 'm');
    await expect
      .poll(
        async () => {
          const rows = (await wb.rowLabels('Tasks')).join('\n');
          if (!cancelled.test(rows)) await wb.clickViewAction('Tasks', 'Step Scheduler');
          return rows;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(cancelled);
    await wb.waitForText(new RegExp(`Paused: ${name} stepped: it finished \\(cancelled\\)`), { within: wb.pane('Tasks') });
    await wb.screenshot('task-cancelled');
  });
});
