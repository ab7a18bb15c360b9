// The exceptions list, the banner's session states, and the state kept across a reload (VS Code
// discards a hidden webview's page; getState/setState is how it comes back as it was).
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, loadFixture, posted, screenshot, send, waitForReady } from './helpers/browser';
import { useHarness } from './helpers/useHarness';
import { lastRecord, lineOf } from './helpers/fixtureFacts';
import { mapping, nextFrame } from './helpers/canvas';

const h = new Harness();
const fixture = loadFixture('inspector-demo');
let page: Page;

useHarness(h, () => page);

describe('exceptions list', () => {
  it('shows each failed task with its error and stack; clicking opens the failing line', async () => {
    page = await h.open();
    await send(page, fixture.messages);
    const failed = lastRecord(fixture.messages, 'load-config');
    expect(await page.textContent('#tab-exceptions .badge')).toBe('1');
    await page.click('#tab-exceptions');
    const item = `.exception[data-task-id="${failed.id}"]`;
    await page.waitForSelector(item);
    expect(await page.textContent(`${item} .task-name`)).toBe('load-config');
    expect(await page.textContent(`${item} .error-text`)).toBe('TypeError: config line is not a number: "forty-two"');
    const stack = await page.textContent(`${item} .stack`);
    // The stack as recorded, minus its first line (the error, already in the header).
    expect(stack!.trim()).toBe(failed.error!.stack!.split('\n').slice(1).join('\n').trim());
    const throwLine = lineOf('throw new TypeError');
    const callLine = lineOf("return parseLine('forty-two')");
    expect(stack).toContain(`at parseLine (/project/test/browser/fixtures/programs/inspector-demo.ts:${throwLine}:34)`);

    // The header: select the task, open where it threw (the first frame of the user's code).
    await page.click(`${item} .exception-head`);
    await page.waitForFunction(() => window.__harness.posted.some((m) => m.type === 'reveal'));
    let messages = await posted(page);
    expect(messages).toContainEqual({ type: 'selectTask', taskId: failed.id });
    expect(messages.filter((m) => m.type === 'reveal')).toEqual([
      { type: 'reveal', frame: { file: '/project/test/browser/fixtures/programs/inspector-demo.ts', line: throwLine, column: 34, function: 'parseLine' } },
    ]);
    expect(await page.getAttribute(item, 'class')).toContain('selected');

    // A stack line: open that line. Node's own frames are not links.
    await page.click(`${item} .frame-link:has-text("at loadConfig ")`);
    await page.waitForFunction(() => window.__harness.posted.filter((m) => m.type === 'reveal').length === 2);
    messages = await posted(page);
    expect(messages.filter((m) => m.type === 'reveal').at(-1)).toEqual({
      type: 'reveal',
      frame: { file: '/project/test/browser/fixtures/programs/inspector-demo.ts', line: callLine, column: 10, function: 'loadConfig' },
    });
    const plain = await page.$$eval(`${item} .frame-other`, (es) => es.map((e) => e.textContent!.trim()));
    expect(plain).toEqual(['at loadConfig.next (<anonymous>)', 'at process.processImmediate (node:internal/timers:483:21)']);
    await screenshot(page, 'exceptions');
  });

  it('says so when no task has failed', async () => {
    page = await h.open();
    const beforeFailure = fixture.messages.slice(0, 4); // snapshot, first delta, stop on entry, continue
    await send(page, beforeFailure);
    await page.click('#tab-exceptions');
    expect(await page.isVisible('.exceptions-view .empty-note')).toBe(true);
    expect(await page.textContent('.exceptions-view .summary')).toBe('0 failed tasks');
    expect(await page.isVisible('#tab-exceptions .badge')).toBe(false);
  });
});

describe('session states', () => {
  it('waiting, live, paused with the stop\'s description, live again, ended', async () => {
    page = await h.open();
    expect(await page.textContent('.banner')).toBe('Waiting for a Loopscope debug session…');
    await send(page, fixture.messages.slice(0, 2));
    expect(await page.textContent('.banner')).toBe('Live');
    await send(page, [{ type: 'stopped', reason: 'breakpoint', taskId: 8, description: 'transfer-a suspended at inspector-demo.ts:16' }]);
    expect(await page.textContent('.banner')).toBe('Paused: transfer-a suspended at inspector-demo.ts:16');
    expect(await page.getAttribute('.banner', 'class')).toContain('paused');
    await send(page, [{ type: 'continued' }]);
    expect(await page.textContent('.banner')).toBe('Live');
    await send(page, fixture.messages.slice(2));
    await send(page, [{ type: 'ended' }]);
    expect(await page.textContent('.banner')).toBe('Session ended: showing its last state');
    // The last state stays on screen (the graph is drawn on the next frames: wait for it, then check it stays).
    await page.waitForSelector('.graph-view g.node', { timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(await page.$$eval('.graph-view g.node', (gs) => gs.length)).toBeGreaterThan(0);
  });
});

describe('state across a reload', () => {
  it('comes back on the same view, with the same selection, zoom and filter', async () => {
    page = await h.open();
    await send(page, fixture.messages);
    const a = lastRecord(fixture.messages, 'transfer-a');
    await page.fill('.graph-view input.filter', 'transfer');
    await page.click(`.graph-view g.node[data-key="t:${a.id}"]`);
    await page.click('#tab-timeline');
    await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.frames ?? '0') > 0);
    const before = await mapping(page);
    await page.locator('.timeline-canvas').hover();
    await page.mouse.wheel(0, -500);
    await nextFrame(page, before.frames);
    const zoomed = await mapping(page);
    await page.waitForFunction((ms) => window.__harness.savedState()?.timeline.msPerPx === ms, zoomed.msPerPx);
    const saved = await page.evaluate(() => window.__harness.savedState());
    expect(saved).toEqual({ view: 'timeline', selectedTaskId: a.id, timeline: { start: zoomed.start, msPerPx: zoomed.msPerPx, follow: false }, filter: 'transfer' });

    await page.reload();
    await waitForReady(page);
    // The host answers 'ready' with the session's state again.
    await send(page, fixture.messages);
    expect(await page.getAttribute('#tab-timeline', 'aria-selected')).toBe('true');
    expect(await page.isVisible('.timeline-view')).toBe(true);
    await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.eventsRead ?? '0') > 0);
    const after = await mapping(page);
    expect(after.msPerPx).toBe(zoomed.msPerPx);
    expect(after.start).toBe(zoomed.start);
    expect(await page.getAttribute('.timeline-view button.toggle', 'aria-pressed')).toBe('false');
    await page.click('#tab-graph');
    expect(await page.inputValue('.graph-view input.filter')).toBe('transfer');
    await page.waitForSelector(`.graph-view g.node[data-key="t:${a.id}"].selected`);
  });

  it('ignores a damaged saved state and starts with defaults', async () => {
    page = await h.open();
    await page.evaluate(() => sessionStorage.setItem('loopscope-harness-state', JSON.stringify({ view: 'nonsense', timeline: { msPerPx: -3 }, selectedTaskId: 'x' })));
    await page.reload();
    await waitForReady(page);
    expect(await page.getAttribute('#tab-graph', 'aria-selected')).toBe('true');
    await send(page, fixture.messages);
    await page.click('#tab-timeline');
    await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.eventsRead ?? '0') > 0);
    const m = await mapping(page);
    expect(m.msPerPx).toBeGreaterThan(0); // fit, not the damaged value
  });
});
