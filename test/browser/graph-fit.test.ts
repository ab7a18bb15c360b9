// The await graph at the panel sizes users have: beside the editor (about 400 px wide) it must be
// readable without zooming by hand, the cycle in view and everything else reachable by scrolling;
// wide, it stays in columns and whole. Text size is measured as drawn: the label's font size times
// the SVG's scale on screen.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { Harness, loadFixture, posted, screenshot, send } from './helpers/browser';
import { useHarness } from './helpers/useHarness';
import { lastRecord } from './helpers/fixtureFacts';

const h = new Harness();
const fixture = loadFixture('inspector-demo');
let page: Page;

useHarness(h, () => page);

/** 13 px labels at a scale of 0.8 and up: readable without zooming. */
const READABLE_PX = 10;
const RED = 'rgb(241, 76, 76)';

async function openWithFixture(width: number, height: number): Promise<Page> {
  page = await h.open({ width, height });
  await send(page, fixture.messages);
  await page.waitForSelector('.graph-view g.node');
  return page;
}

interface NodeOnScreen {
  label: string;
  key: string;
  onCycle: boolean;
  /** Font size as drawn, px. */
  fontPx: number;
  /** Height of the label's box on screen, px. */
  boxPx: number;
  /** The whole node inside the scrolling area's visible part. */
  inView: boolean;
}

/** Each label's font size as drawn (px): its CSS size times the SVG's scale on screen. */
function labelFontPx(p: Page): Promise<Record<string, number>> {
  return p.$$eval('.graph-view g.node .node-label', (ts) => Object.fromEntries(ts.map((t) => [t.textContent!, parseFloat(getComputedStyle(t).fontSize) * (t as SVGTextElement).getScreenCTM()!.a])));
}

function nodesOnScreen(p: Page): Promise<NodeOnScreen[]> {
  return p.$$eval('.graph-view g.node', (gs) => {
    const view = document.querySelector('.graph-view .graph-scroll')!;
    const v = view.getBoundingClientRect();
    const right = v.left + view.clientWidth;
    const bottom = v.top + view.clientHeight;
    return gs.map((g) => {
      const text = g.querySelector<SVGTextElement>('.node-label')!;
      const r = g.getBoundingClientRect();
      return {
        label: text.textContent!,
        key: g.getAttribute('data-key')!,
        onCycle: g.classList.contains('on-cycle'),
        fontPx: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM()!.a,
        boxPx: text.getBoundingClientRect().height,
        inView: r.left >= v.left - 0.5 && r.top >= v.top - 0.5 && r.right <= right + 0.5 && r.bottom <= bottom + 0.5,
      };
    });
  });
}

/** The deadlock's cycle: both tasks and the two locks between them. */
const CYCLE = ['transfer-a', 'transfer-b', 'lock ledger', 'lock accounts'];

describe('await graph in a narrow panel', () => {
  it('420×500: lays the graph out downwards at a readable size, the whole cycle in view and in red', async () => {
    await openWithFixture(420, 500);
    for (const [label, px] of Object.entries(await labelFontPx(page))) expect(px, `${label} font`).toBeGreaterThanOrEqual(READABLE_PX);
    expect(await page.getAttribute('.graph-view svg.graph-canvas', 'data-direction')).toBe('down');
    const nodes = await nodesOnScreen(page);
    expect(nodes).toHaveLength(7);
    for (const n of nodes) {
      expect(n.fontPx, `${n.label} font`).toBeGreaterThanOrEqual(READABLE_PX);
      expect(n.boxPx, `${n.label} box`).toBeGreaterThanOrEqual(READABLE_PX);
    }
    const byLabel = new Map(nodes.map((n) => [n.label, n]));
    for (const label of [...CYCLE, 'Task-1']) expect(byLabel.get(label)?.inView, `${label} in view`).toBe(true);
    // Downwards: each step of the cycle below the one waiting on it (the back edge closes it).
    const ys = await page.$$eval('.graph-view g.node', (gs) => Object.fromEntries(gs.map((g) => [g.querySelector('.node-label')!.textContent!, g.getBoundingClientRect().top])));
    expect(ys['Task-1']).toBeLessThan(ys['transfer-a']);
    expect(ys['transfer-a']).toBeLessThan(ys['lock ledger']);
    expect(ys['lock ledger']).toBeLessThan(ys['transfer-b']);
    expect(ys['transfer-b']).toBeLessThan(ys['lock accounts']);
    const red = await page.$$eval('.graph-view path.edge.on-cycle', (ps) => ps.map((p) => getComputedStyle(p).stroke));
    expect(red).toEqual([RED, RED, RED, RED]);
    // What does not fit is below, and the panel says so.
    expect(await page.isVisible('.graph-view .graph-hint')).toBe(true);
    expect(await page.textContent('.graph-view .graph-hint')).toBe('More below: scroll or drag · Ctrl+wheel zooms');
    await screenshot(page, 'graph-narrow');
  });

  it('420×500: the wheel scrolls to every node, which can then be clicked', async () => {
    await openWithFixture(420, 500);
    const box = (await page.locator('.graph-view .graph-scroll').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const seen = new Set<string>();
    const hint = '.graph-view .graph-hint';
    for (let i = 0; i < 20; i++) {
      for (const n of await nodesOnScreen(page)) if (n.inView) seen.add(n.label);
      if (!(await page.textContent(hint))!.includes('below')) break;
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(50);
    }
    expect([...seen].sort()).toEqual(['<img src=x onerror=alert(…', 'Task-1', 'event config-ready', 'lock accounts', 'lock ledger', 'transfer-a', 'transfer-b']);
    // Scrolled, not zoomed: the text kept its size. At the end the note points back up, below the last node.
    for (const n of await nodesOnScreen(page)) expect(n.fontPx).toBeGreaterThanOrEqual(READABLE_PX);
    expect(await page.textContent(hint)).toBe('More above: scroll or drag · Ctrl+wheel zooms');
    const last = (await page.locator('.graph-view g.node:has(.node-label:text-is("event config-ready"))').boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual((await page.locator(hint).boundingBox())!.y);
    const img = lastRecord(fixture.messages, '<img src=x onerror=alert(1)>');
    await page.click(`.graph-view g.node[data-key="t:${img.id}"]`);
    await page.waitForFunction((id) => window.__harness.posted.some((m) => m.type === 'selectTask' && m.taskId === id), img.id);
    expect((await posted(page)).filter((m) => m.type === 'reveal').at(-1)).toEqual({ type: 'reveal', frame: img.location });
    await screenshot(page, 'graph-narrow-scrolled');
  });

  it('Enter on a focused node keeps the focus there, though the status line it adds resizes the graph', async () => {
    await openWithFixture(420, 500);
    const b = lastRecord(fixture.messages, 'transfer-b');
    const node = `.graph-view g.node[data-key="t:${b.id}"]`;
    const areaHeight = () => page.$eval('.graph-view .graph-area', (a) => a.clientHeight);
    const before = await areaHeight();
    await page.focus(node);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => window.__harness.posted.some((m) => m.type === 'selectTask' && m.taskId === id), b.id);
    await page.waitForTimeout(100);
    expect(await areaHeight()).toBeLessThan(before);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(`t:${b.id}`);
    // Still fitted for the smaller area: readable, the cycle in view.
    for (const n of await nodesOnScreen(page)) {
      expect(n.fontPx).toBeGreaterThanOrEqual(READABLE_PX);
      if (CYCLE.includes(n.label)) expect(n.inView, `${n.label} in view`).toBe(true);
    }
  });

  it('dragging scrolls the graph without selecting; Ctrl+wheel zooms around the pointer', async () => {
    await openWithFixture(420, 500);
    const scroller = page.locator('.graph-view .graph-scroll');
    const box = (await scroller.boundingBox())!;
    const x = box.x + 30; // empty space left of the nodes
    const y = box.y + box.height - 60;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y - 60, { steps: 4 });
    await page.mouse.move(x, y - 150, { steps: 4 });
    await page.mouse.up();
    expect(await scroller.evaluate((s) => s.scrollTop)).toBeGreaterThan(50);
    expect((await posted(page)).filter((m) => m.type === 'selectTask')).toEqual([]);

    const before = (await nodesOnScreen(page))[0].fontPx;
    await page.mouse.move(box.x + box.width / 2, box.y + 100);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 300);
    await page.keyboard.up('Control');
    await page.waitForTimeout(50);
    const after = (await nodesOnScreen(page))[0].fontPx;
    expect(after).toBeLessThan(before * 0.8);
  });
});

describe('await graph in a wide panel', () => {
  it('1100×420: in columns, whole, readable, no hint', async () => {
    await openWithFixture(1100, 420);
    for (const [label, px] of Object.entries(await labelFontPx(page))) expect(px, `${label} font`).toBeGreaterThanOrEqual(READABLE_PX);
    expect(await page.getAttribute('.graph-view svg.graph-canvas', 'data-direction')).toBe('right');
    const nodes = await nodesOnScreen(page);
    expect(nodes).toHaveLength(7);
    for (const n of nodes) {
      expect(n.inView, `${n.label} in view`).toBe(true);
      expect(n.fontPx, `${n.label} font`).toBeGreaterThanOrEqual(READABLE_PX);
    }
    // The chain runs left to right.
    const xs = await page.$$eval('.graph-view g.node', (gs) => Object.fromEntries(gs.map((g) => [g.querySelector('.node-label')!.textContent!, g.getBoundingClientRect().left])));
    expect(xs['Task-1']).toBeLessThan(xs['transfer-a']);
    expect(xs['transfer-a']).toBeLessThan(xs['lock ledger']);
    expect(xs['lock ledger']).toBeLessThan(xs['transfer-b']);
    expect(xs['transfer-b']).toBeLessThan(xs['lock accounts']);
    expect(await page.isHidden('.graph-view .graph-hint')).toBe(true);
  });

  it('resizing lays the graph out again: narrow goes downwards, wide back to columns, readable throughout', async () => {
    await openWithFixture(1100, 420);
    const svgSel = '.graph-view svg.graph-canvas';
    await page.setViewportSize({ width: 420, height: 500 });
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-direction') === 'down', svgSel);
    for (const n of await nodesOnScreen(page)) {
      expect(n.fontPx, `${n.label} font`).toBeGreaterThanOrEqual(READABLE_PX);
      if (CYCLE.includes(n.label)) expect(n.inView, `${n.label} in view`).toBe(true);
    }
    await page.setViewportSize({ width: 1200, height: 700 });
    await page.waitForFunction((s) => document.querySelector(s)!.getAttribute('data-direction') === 'right', svgSel);
    for (const n of await nodesOnScreen(page)) expect(n.inView && n.fontPx >= READABLE_PX, n.label).toBe(true);
  });

  it('a graph that grows while the program runs is laid out again for the panel until the user takes over', async () => {
    page = await h.open({ width: 420, height: 500 });
    // Up to the stop on entry: Task-1 alone, fitted in columns (a single node fits any way).
    const entry = fixture.messages.findIndex((m) => m.type === 'stopped');
    await send(page, fixture.messages.slice(0, entry + 1));
    await page.waitForSelector('.graph-view g.node');
    expect(await page.$$eval('.graph-view g.node', (gs) => gs.length)).toBe(1);
    expect(await page.getAttribute('.graph-view svg.graph-canvas', 'data-direction')).toBe('right');
    // The run to the deadlock, delta by delta.
    for (const m of fixture.messages.slice(entry + 1)) {
      await send(page, [m]);
      await page.waitForTimeout(20);
    }
    await page.waitForFunction(() => document.querySelector('.graph-view svg.graph-canvas')!.getAttribute('data-direction') === 'down');
    await page.waitForFunction(() => document.querySelectorAll('.graph-view g.node').length === 7);
    await page.waitForTimeout(400);
    for (const n of await nodesOnScreen(page)) {
      expect(n.fontPx, `${n.label} font`).toBeGreaterThanOrEqual(READABLE_PX);
      if (CYCLE.includes(n.label)) expect(n.inView, `${n.label} in view`).toBe(true);
    }
    // Once the user has scrolled, more content leaves their view where it is.
    const scroller = page.locator('.graph-view .graph-scroll');
    const box = (await scroller.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await page.waitForFunction(() => document.querySelector('.graph-view .graph-scroll')!.scrollTop > 0);
    const top = await scroller.evaluate((s) => s.scrollTop);
    const late = { id: 999, name: 'late', state: 'suspended' as const, parentId: 1, since: 2000, steps: 1, cancelling: 0, awaiting: { kind: 'sleep' as const, deadline: 9000 } };
    await send(page, [{ type: 'delta', delta: { type: 'delta', seq: 1000, time: 2000, tasks: [late] } }]);
    await page.waitForSelector('.graph-view g.node[data-key="t:999"]');
    expect(await scroller.evaluate((s) => s.scrollTop)).toBe(top);
  });

  it('once the user has scrolled, a resize keeps their view (no re-layout under the pointer)', async () => {
    await openWithFixture(420, 500);
    const scroller = page.locator('.graph-view .graph-scroll');
    const box = (await scroller.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await page.waitForFunction(() => document.querySelector('.graph-view .graph-scroll')!.scrollTop > 0);
    await page.setViewportSize({ width: 440, height: 520 });
    await page.waitForTimeout(200);
    expect(await page.getAttribute('.graph-view svg.graph-canvas', 'data-direction')).toBe('down');
    expect(await scroller.evaluate((s) => s.scrollTop)).toBeGreaterThan(0);
    // "Fit" starts over: top of the graph, laid out for the new size.
    await page.click('.graph-view button[aria-label="Fit"]');
    await page.waitForFunction(() => document.querySelector('.graph-view .graph-scroll')!.scrollTop === 0);
  });
});
