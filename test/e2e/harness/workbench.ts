/**
 * Driving the VS Code workbench in Chromium as a person would: the command palette (Ctrl+Shift+P),
 * quick open, keys, clicks; waiting for what appears on screen; screenshots of each step.
 * Selectors are the workbench's own stable classes (.monaco-workbench, .quick-input-widget, ...).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const PALETTE = '.quick-input-widget';
const PALETTE_INPUT = `${PALETTE} input`;
const PALETTE_ROWS = `${PALETTE} .monaco-list-row`;

export class Workbench {
  private shot = 0;
  /** Messages the page logged as errors (kept for failure reports). */
  readonly consoleErrors: string[] = [];

  constructor(
    readonly page: Page,
    readonly shotsDir: string,
  ) {
    mkdirSync(shotsDir, { recursive: true });
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(String(e)));
  }

  /** Opens the workbench at `url` and waits until it is drawn with its folder loaded. */
  static async open(browser: Browser, url: string, shotsDir: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const wb = new Workbench(page, shotsDir);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer's tree appears once the folder is open and the extension host is up.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return wb;
  }

  /** Saves `NN-step.png` in the shots folder and returns its path. */
  async screenshot(step: string): Promise<string> {
    const file = join(this.shotsDir, `${String(++this.shot).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Waits until `text` is shown (inside `within` if given); errors say what was awaited. */
  async waitForText(text: string | RegExp, opts: { within?: Locator | string; timeout?: number } = {}): Promise<Locator> {
    const scope = typeof opts.within === 'string' ? this.page.locator(opts.within) : (opts.within ?? this.page.locator('body'));
    const found = scope.getByText(text).first();
    try {
      await found.waitFor({ state: 'visible', timeout: opts.timeout ?? 30_000 });
    } catch {
      throw new Error(`"${text}" did not appear within ${opts.timeout ?? 30_000} ms`);
    }
    return found;
  }

  private async openPalette(prefix: string, key = 'Control+Shift+P'): Promise<Locator> {
    const input = this.page.locator(PALETTE_INPUT);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(prefix, { timeout: 5000 });
    } catch {
      throw new PaletteClosed(prefix);
    }
    return input;
  }

  /** The labels the palette currently lists. */
  private async paletteLabels(): Promise<string[]> {
    return this.page.locator(`${PALETTE_ROWS} .label-name`).allTextContents();
  }

  /**
   * Picks the row whose label is `label` (exactly, or starting with it when `startsWith` is set) among
   * the palette's rows, waiting for it to be listed (`select: false`: only wait for it).
   */
  private async pick(label: string, opts: { timeout?: number; startsWith?: boolean; contains?: boolean; select?: boolean } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeout ?? 15_000);
    let labels: string[] = [];
    while (Date.now() < deadline) {
      // Focus moving (a view opening, a session starting) can close the palette under us.
      if (!(await this.page.locator(PALETTE_INPUT).isVisible())) throw new PaletteClosed(label);
      labels = (await this.paletteLabels()).map((l) => l.trim());
      const i = labels.findIndex((l) => (opts.contains ? l.includes(label) : opts.startsWith ? l.startsWith(label) : l === label));
      if (i >= 0) {
        if (opts.select !== false) await this.page.locator(PALETTE_ROWS).nth(i).click();
        return;
      }
      await this.page.waitForTimeout(200);
    }
    await this.page.keyboard.press('Escape');
    // An empty list is the palette not having filled in (a provider still starting): worth another try.
    if (!labels.length) throw new PaletteClosed(label);
    throw new Error(`The command palette did not list "${label}". It listed: ${labels.slice(0, 15).map((l) => JSON.stringify(l)).join(', ')}`);
  }

  /** Runs a command by its title through the palette, as a person would (e.g. "View: Toggle Terminal"). */
  async runCommand(title: string): Promise<void> {
    await retryIfClosed(async () => {
      await this.openPalette(`>${title}`);
      await this.pick(title);
    });
  }

  /** The palette's rows for `>query` (for checking which commands exist). Leaves the palette closed. */
  async listCommands(query: string): Promise<string[]> {
    await retryIfClosed(() => this.openPalette(`>${query}`).then(() => {}));
    await this.page.locator(PALETTE_ROWS).first().waitFor({ timeout: 10_000 }).catch(() => {});
    await this.page.waitForTimeout(300);
    const labels = (await this.paletteLabels()).map((l) => l.trim());
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Starts a launch configuration by name: `debug <name>` in the palette, as F5 is not delivered here. */
  async startDebugging(configName: string): Promise<void> {
    // The list fills in once launch.json is read: type the name only after it shows configurations.
    await retryIfClosed(async () => {
      const input = await this.openPalette('debug ');
      await this.pick(configName, { select: false, timeout: 10_000 });
      await input.pressSequentially(configName);
      await this.pick(configName);
    });
  }

  /** Opens a workspace file by its path relative to the folder, through quick open. */
  async openFile(relativePath: string): Promise<void> {
    const base = relativePath.split('/').pop()!;
    await retryIfClosed(async () => {
      await this.openPalette(relativePath, 'Control+P');
      await this.pick(base);
    });
    await this.page.locator(`.tab.active[aria-label*="${base}"]`).first().waitFor({ timeout: 15_000 });
  }

  /** Moves the cursor of the active editor to `line` (Ctrl+G). */
  async goToLine(line: number): Promise<void> {
    await retryIfClosed(async () => {
      await this.openPalette(`:${line}`);
      // Enter only once the palette offers the jump ("Go to line 18..."), or it is lost.
      await this.pick(`${line}`, { select: false, contains: true, timeout: 10_000 });
    });
    await this.page.keyboard.press('Enter');
    await this.waitForText(new RegExp(`^Ln ${line}, Col \\d+$`), { within: '.statusbar', timeout: 10_000 });
  }

  /** The messages of the notification toasts on screen (errors and information the user sees). */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /** Expands a tree row (a session, a task) if it shows collapsed. */
  async expandRow(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  }

  /**
   * Expands the row matching `parent` until a row matching `child` shows: a row expanded before it
   * had children (a debug session before its child session started) is shown collapsed once they come.
   */
  async expandUntilRow(title: string, parent: RegExp, child: RegExp, timeout = 60_000): Promise<Locator> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return this.waitForRow(title, child, 1);
      await this.expandRow(await this.waitForRow(title, parent, left));
      try {
        return await this.waitForRow(title, child, Math.min(2_000, left));
      } catch {
        // not there yet: expand again if it was collapsed meanwhile
      }
    }
  }

  /** Sets (or clears) a gutter breakpoint on `line` of a workspace file, as F9 does there. */
  async toggleBreakpoint(relativePath: string, line: number): Promise<void> {
    await this.openFile(relativePath);
    await this.goToLine(line);
    await this.runCommand('Debug: Toggle Breakpoint');
  }

  /** The views of the Run and Debug container, opened. */
  async openRunAndDebug(): Promise<void> {
    await this.runCommand('View: Show Run and Debug');
    await this.page.locator('.debug-viewlet, [id="workbench.view.debug"]').first().waitFor({ timeout: 15_000 });
  }

  /** A view's pane (its header and body) by the view's title, e.g. "Tasks". */
  pane(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { has: this.page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') }) }) });
  }

  /**
   * The page inside a webview panel (VS Code nests it: an outer iframe per webview, the extension's
   * page in its `active-frame`). With several webviews open, the last one.
   */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready >> nth=-1').frameLocator('#active-frame');
  }

  /** Drags the side bar's edge so it is `width` pixels wide (room for the Tasks view's descriptions). */
  async setSideBarWidth(width: number): Promise<void> {
    const bar = await this.page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (!bar) throw new Error('The side bar is not shown');
    const y = bar.y + bar.height / 2;
    await this.page.mouse.move(bar.x + bar.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Expands a view's pane if it is collapsed (or collapses it with `expanded: false`). */
  async setPaneExpanded(title: string, expanded = true): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  }

  /** Clicks an action in a view's title bar (shown on hover), by its label, e.g. "Step Scheduler". */
  async clickViewAction(title: string, action: string): Promise<void> {
    const header = this.pane(title).locator('.pane-header');
    await header.hover();
    await header.locator(`.action-label[aria-label^="${action}"]`).click({ timeout: 10_000 });
  }

  /**
   * Opens a tree row's context menu and picks `item`, as a user does: right click, move onto the
   * item until it is highlighted, click. (A click sent the moment the menu appears can be lost while
   * the menu still places itself: on a loaded machine it was, about 1 run in 4.)
   */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    const entry = menu.locator('.action-item').filter({ has: this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(item)}$`) }) }).first();
    try {
      await entry.waitFor({ timeout: 10_000 });
    } catch {
      const items = await menu.locator('.action-label').allTextContents();
      await this.page.keyboard.press('Escape');
      throw new Error(`The context menu had no "${item}". It had: ${items.filter(Boolean).map((i) => JSON.stringify(i)).join(', ') || '(nothing)'}`);
    }
    for (let i = 0; i < 20 && !(await entry.getAttribute('class'))?.split(' ').includes('focused'); i++) {
      await entry.hover();
      await this.page.waitForTimeout(100);
    }
    await entry.click();
    // The menu closes once its action has run; one still open means the click went astray.
    await menu.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(async () => {
      await this.page.keyboard.press('Escape');
      throw new Error(`The context menu stayed open after clicking "${item}"`);
    });
  }

  /**
   * The tree rows a view's pane shows, top to bottom, as their accessible labels (label and
   * description). The list is virtual: rows scrolled out of sight are not in the page.
   */
  async rowLabels(title: string): Promise<string[]> {
    return (await this.rows(title)).map((r) => r.label);
  }

  /** Rows in screen order (the DOM order of a virtual list is not), with their list index. */
  private async rows(title: string): Promise<{ label: string; index: string }[]> {
    const rows = await this.pane(title)
      .locator('.monaco-list-row')
      .evaluateAll((els) => els.map((e) => ({ label: (e.getAttribute('aria-label') ?? e.textContent ?? '').trim(), index: e.getAttribute('data-index') ?? '' })));
    return rows.sort((a, b) => Number(a.index) - Number(b.index));
  }

  /** The row at a list index (as rows() reports it). */
  private rowAt(title: string, index: string): Locator {
    return this.pane(title).locator(`.monaco-list-row[data-index="${index}"]`);
  }

  /** Waits until a pane shows a row whose label matches `pattern`; returns that row. */
  async waitForRow(title: string, pattern: RegExp, timeout = 30_000): Promise<Locator> {
    return (await this.waitForRows(title, [pattern], timeout))[0]!;
  }

  /** Waits until a pane shows consecutive rows matching `patterns` in order (e.g. a section and its first child). */
  async waitForRows(title: string, patterns: RegExp[], timeout = 30_000): Promise<Locator[]> {
    const deadline = Date.now() + timeout;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      const rows = await this.rows(title).catch(() => []);
      labels = rows.map((r) => r.label);
      const i = rows.findIndex((_, k) => patterns.every((p, j) => rows[k + j] !== undefined && p.test(rows[k + j]!.label)));
      if (i >= 0) return patterns.map((_, j) => this.rowAt(title, rows[i + j]!.index));
      await this.page.waitForTimeout(250);
    }
    throw new Error(`The ${title} view showed no rows matching ${patterns.join(' then ')} within ${timeout} ms. Its rows: ${labels.map((l) => JSON.stringify(l)).join(', ') || '(none)'}`);
  }

  /** Stops every debug session (the palette's "Debug: Stop"), when one is running. */
  async stopDebugging(): Promise<void> {
    const toolbar = this.page.locator('.debug-toolbar');
    if (!(await toolbar.isVisible().catch(() => false))) return;
    await this.runCommand('Debug: Stop').catch(() => {});
    await toolbar.waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
  }
}

class PaletteClosed extends Error {
  constructor(label: string) {
    super(`The command palette closed, did not open, or listed nothing while waiting for "${label}"`);
  }
}

/** Runs a palette interaction again (twice at most) when the palette closed by a focus change, or stayed empty. */
async function retryIfClosed(fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof PaletteClosed) || attempt >= 3) throw err;
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
