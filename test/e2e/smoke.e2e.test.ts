// The first thing a user sees: a real VS Code with examples/ open and Loopscope installed and active —
// its Tasks view in Run and Debug, its commands in the palette, its extension host running it.
import { describe, expect, it } from 'vitest';
import { useVSCode } from './harness/useVSCode';

describe('VS Code with Loopscope installed', () => {
  const fx = useVSCode('smoke');

  it('opens examples/ in the workbench', async () => {
    const explorer = fx.wb.page.locator('.explorer-folders-view');
    for (const file of ['crawler.ts', 'deadlock.ts', 'lost-wakeup.ts']) await fx.wb.waitForText(file, { within: explorer });
    await fx.wb.screenshot('workbench');
  });

  it('contributes the Tasks view to Run and Debug', async () => {
    await fx.wb.openRunAndDebug();
    await expect.poll(() => fx.wb.pane('Tasks').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Opened, it welcomes the user (and activates the extension: onView).
    await fx.wb.setPaneExpanded('Tasks');
    await fx.wb.waitForText(/see every task here/, { within: fx.wb.pane('Tasks') });
    await fx.wb.screenshot('run-and-debug');
  });

  it('lists its commands in the palette', async () => {
    // "Debug Current File" is offered once a TypeScript or JavaScript editor is active (its language known).
    await fx.wb.openFile('crawler.ts');
    await expect
      .poll(async () => (await fx.wb.listCommands('Loopscope')).filter((l) => l.startsWith('Loopscope:')), { timeout: 20_000, interval: 1000 })
      .toEqual(expect.arrayContaining(['Loopscope: Open Task Inspector', 'Loopscope: Step Scheduler', 'Loopscope: Debug Current File with Loopscope']));
  });

  it('is running in the extension host', async () => {
    await fx.wb.runCommand('Developer: Show Running Extensions');
    const editor = fx.wb.page.locator('.runtime-extensions-editor');
    // The list is sorted by activation time and virtual: scroll it until Loopscope's row is drawn.
    const row = editor.locator('.monaco-list-row').filter({ hasText: 'Loopscope' });
    await editor.locator('.monaco-list-row').first().waitFor({ timeout: 60_000 });
    for (let i = 0; i < 30 && (await row.count()) === 0; i++) {
      await editor.locator('.monaco-list').first().hover();
      await fx.wb.page.mouse.wheel(0, 300);
      await fx.wb.page.waitForTimeout(200);
    }
    await fx.wb.waitForText('Loopscope', { within: editor, timeout: 10_000 });
    await fx.wb.screenshot('running-extensions');
  });
});
