// Launching Debian's Chromium with playwright-core and opening the Task Inspector harness page.
// No vitest here: the benchmark (bench/timelineFrames.mts) and docImages.mts run this file under plain
// tsx, where vitest cannot be loaded; the test files' lifecycle hooks are in useHarness.ts.
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startHarnessServer, type HarnessServer } from '../harness/server';
import type { HostToWebview, WebviewToHost, PersistedState } from '../../../webview/src/messages';

export const CHROMIUM = process.env.LOOPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(repoRoot, 'test-results', 'browser');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface Fixture {
  program: string;
  messages: HostToWebview[];
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(repoRoot, 'test', 'browser', 'fixtures', `${name}.json`), 'utf8')) as Fixture;
}

/** What the harness page exposes (fake-vscode.js). */
export interface HarnessApi {
  posted: WebviewToHost[];
  cspViolations: { directive: string; blocked: string; sample: string }[];
  errors: string[];
  send(m: HostToWebview): void;
  sendAll(m: HostToWebview[]): void;
  syntheticTimeline(o?: { tasks?: number; events?: number; batch?: number; start?: number; seed?: number }): { tasks: number; events: number; start: number; end: number };
  syntheticTasks(o?: { tasks?: number }): { a: number; b: number };
  savedState(): PersistedState | undefined;
}

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}

/** One browser and one server for a test file; a fresh page per test. */
export class Harness {
  browser!: Browser;
  server!: HarnessServer;

  async start(): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    this.server = await startHarnessServer();
    this.browser = await launchChromium();
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.server?.close();
  }

  /** A new page on the inspector, loaded and past its 'ready'. */
  async open(options: { capacity?: number; width?: number; height?: number } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: options.width ?? 1200, height: options.height ?? 700 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      // Recorded by the test through __dialogs; dismissed so that nothing blocks.
      void page.evaluate((m) => ((window as unknown as { __dialogs: string[] }).__dialogs ??= []).push(m), d.message()).catch(() => {});
      void d.dismiss();
    });
    const url = `${this.server.origin}/${options.capacity ? `?capacity=${options.capacity}` : ''}`;
    await page.goto(url);
    await waitForReady(page);
    return page;
  }
}

export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__harness?.posted.some((m) => m.type === 'ready'));
}

export async function send(page: Page, messages: HostToWebview[]): Promise<void> {
  await page.evaluate((ms) => window.__harness.sendAll(ms), messages);
}

export function posted(page: Page): Promise<WebviewToHost[]> {
  return page.evaluate(() => window.__harness.posted);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Waits for the timeline canvas to have drawn at least `frames` frames in all. */
export async function timelineFrames(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')?.dataset.frames ?? '0'));
}
