// Regenerates the README's pictures of the Task Inspector (docs/images/inspector-graph.png and
// inspector-timeline.png) from the recorded fixture, in Debian's Chromium, through the same harness
// as the browser tests:  node scripts/build.mjs webview && npx tsx test/browser/docImages.mts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, loadFixture, send } from './helpers/browser';
import { at, mapping, nextFrame } from './helpers/canvas';
import { allEvents } from './helpers/fixtureFacts';
import { repoRoot } from './harness/server';

const out = join(repoRoot, 'docs', 'images');
mkdirSync(out, { recursive: true });
const h = new Harness();
await h.start();
try {
  const fixture = loadFixture('inspector-demo');
  const page = await h.open({ width: 1100, height: 420 });
  await send(page, fixture.messages);
  await page.waitForSelector('.graph-view g.node');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'inspector-graph.png') });

  await page.click('#tab-timeline');
  await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.eventsRead ?? '0') > 0);
  // Zoom in on the workers' busiest stretch.
  const events = allEvents(fixture.messages);
  const m = await mapping(page);
  const box = (await page.locator('.timeline-canvas').boundingBox())!;
  await page.mouse.move(box.x + at(m, events[Math.floor(events.length * 0.55)][2], 0).x, box.y + 120);
  await page.mouse.wheel(0, -300);
  await nextFrame(page, m.frames);
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(out, 'inspector-timeline.png') });
  console.log(`wrote ${join(out, 'inspector-graph.png')} and inspector-timeline.png`);
} finally {
  await h.stop();
}
