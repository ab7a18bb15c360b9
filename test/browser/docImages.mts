// Regenerates the README's pictures of the Task Inspector (docs/images/inspector-graph.png and
// inspector-timeline.png) from the recorded fixture, in Debian's Chromium, through the same harness
// as the browser tests:  node scripts/build.mjs webview && npx tsx test/browser/docImages.mts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, loadFixture, send } from './helpers/browser';
import { at, mapping, nextFrame } from './helpers/canvas';
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

  // The timeline from the harness's seeded synthetic session: the agent currently stamps timeline
  // events with a clock read once per 64 hooks, so a recorded run's steps mostly show as zero
  // long. Switch back to the fixture once step times are exact.
  const timeline = await h.open({ width: 1100, height: 420 });
  await timeline.click('#tab-timeline');
  const info = await timeline.evaluate(() => window.__harness.syntheticTimeline({ tasks: 14, events: 8000, batch: 1000 }));
  await timeline.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.eventsRead ?? '0') > 0);
  const m = await mapping(timeline);
  const box = (await timeline.locator('.timeline-canvas').boundingBox())!;
  const middle = at(m, (info.start + info.end) / 2, 3);
  await timeline.mouse.move(box.x + middle.x, box.y + middle.y);
  await timeline.mouse.wheel(0, -1100);
  await nextFrame(timeline, m.frames);
  const zoomed = await mapping(timeline);
  // Hover a step (a blue pixel in lane 3, right half) for the hover card.
  const row = 3;
  const y = at(zoomed, 0, row).y;
  const blue = await timeline.evaluate(
    ({ y, from, to }) => {
      const d = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.getContext('2d')!.getImageData(from, y, to - from, 1).data;
      const xs: number[] = [];
      for (let i = 0; i < to - from; i++) if (d[i * 4 + 2] > 200 && d[i * 4] < 100) xs.push(from + i);
      return xs;
    },
    { y: Math.round(y), from: Math.round(box.width / 2), to: Math.round(box.width - 60) },
  );
  for (const x of blue) {
    await timeline.mouse.move(box.x + x + 0.5, box.y + y);
    if ((await timeline.textContent('.hover-card'))?.includes('step of')) break;
  }
  await timeline.waitForTimeout(200);
  await timeline.screenshot({ path: join(out, 'inspector-timeline.png') });
  console.log(`wrote ${join(out, 'inspector-graph.png')} and inspector-timeline.png`);
} finally {
  await h.stop();
}
