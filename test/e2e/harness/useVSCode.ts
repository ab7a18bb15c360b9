/**
 * One real VS Code per e2e test file: code-server with the built .vsix installed and `examples/` open,
 * Chromium on it, and the workbench helpers. A failing test leaves a screenshot, the page's errors,
 * code-server's output and the extension host's logs in test-results/e2e/<file>/failures/.
 * Teardown stops the browser and code-server (and with it the extension host and the debuggees).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { removeHome, startCodeServer, type CodeServer } from './codeServer';
import { launchChromium, Workbench } from './workbench';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const examplesDir = join(repoRoot, 'examples');

export interface VSCodeFixture {
  /** Set once beforeAll has run. */
  wb: Workbench;
  server: CodeServer;
  /** Where this file's screenshots go. */
  dir: string;
}

export function useVSCode(name: string, opts: { settings?: Record<string, unknown> } = {}): VSCodeFixture {
  const fx = { dir: join(inject('resultsDir'), name) } as VSCodeFixture;
  let browser: Browser | undefined;
  let failed = false;

  beforeAll(async () => {
    fx.server = await startCodeServer({ vscode: inject('vscode'), vsix: inject('vsix'), folder: examplesDir, settings: opts.settings });
    browser = await launchChromium();
    fx.wb = await Workbench.open(browser, fx.server.folderUrl, fx.dir);
  }, 180_000);

  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      failed = true;
      const dir = join(fx.dir, 'failures', ctx.task.name.replace(/[^a-z0-9-]+/gi, '-').slice(0, 80));
      await fx.wb?.page.screenshot({ path: join(dir, 'screen.png') }).catch(() => {});
      fx.server?.collectLogs(dir);
      if (fx.wb) writeFileSync(join(dir, 'page-errors.txt'), fx.wb.consoleErrors.join('\n'));
      // CI keeps only the console: what the extension did, and what VS Code told the user, go there.
      const extLog = fx.server?.extensionLog().trim().split('\n').slice(-40).join('\n');
      const toasts = (await fx.wb?.notifications().catch(() => [])) ?? [];
      console.log(`[${ctx.task.name}] failed. Notifications: ${toasts.length ? toasts.map((t) => JSON.stringify(t)).join(', ') : '(none)'}\nThe Loopscope log's last lines:\n${extLog || '(empty)'}`);
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await fx.server?.stop();
    if (fx.server && !failed) removeHome(fx.server.home);
  }, 60_000);

  return fx;
}
