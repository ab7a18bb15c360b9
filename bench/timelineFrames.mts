// The Task Inspector timeline's frame time with 1,000,000 events in Chromium (/usr/bin/chromium via
// playwright-core), on the browser tests' harness page (the extension's own HTML and CSP, the built
// dist/webview). Run by `npm run bench -- debugger` as `node --import tsx bench/timelineFrames.mts '{"events":1000000}'`.
// Prints { events, tasks, ingestMs, fullViewDrawMs, zoom: { drawMs, wheelToFrameMs } } (medians and max).
// (Callbacks passed to page.evaluate define no named functions: tsx's keepNames would wrap them in a
// __name() helper that does not exist in the page.)
import { Harness } from '../test/browser/helpers/browser';

const o = JSON.parse(process.argv[2] ?? '{}') as { events?: number; tasks?: number; steps?: number };
const events = o.events ?? 1_000_000;
const tasks = o.tasks ?? 100;
const steps = o.steps ?? 24;
if (!Number.isInteger(events) || events < 1000) throw new Error(`timelineFrames: events must be an integer ≥ 1000 (got ${o.events})`);

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];

const h = new Harness();
await h.start();
try {
  const page = await h.open({ width: 1200, height: 700 });
  await page.click('#tab-timeline');
  await page.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')?.dataset.frames ?? '0') > 0);
  const ingest = await page.evaluate(
    ({ events, tasks }) => {
      const t0 = performance.now();
      const info = window.__harness.syntheticTimeline({ tasks, events, batch: 20_000 });
      return { ...info, ms: performance.now() - t0 };
    },
    { events, tasks },
  );
  await page.waitForFunction((n) => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.eventsRead) >= n, Math.floor(events * 0.99), { timeout: 120_000 });
  const full = await page.evaluate(() => {
    const d = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset;
    return { drawMs: Number(d.drawMs), eventsRead: Number(d.eventsRead) };
  });
  const box = (await page.locator('.timeline-canvas').boundingBox())!;
  // Zoom in `steps / 2` wheel notches and back out, each timed from the wheel event to the next frame drawn.
  const zoom = await page.evaluate(
    async ({ x, y, steps }) => {
      const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
      const out: { wheelToFrameMs: number; drawMs: number; eventsRead: number }[] = [];
      for (let i = 0; i < steps; i++) {
        const frames = Number(c.dataset.frames);
        const t0 = performance.now();
        c.dispatchEvent(new WheelEvent('wheel', { deltaY: i < steps / 2 ? -250 : 250, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        while (Number(c.dataset.frames) === frames) await new Promise((r) => requestAnimationFrame(r));
        out.push({ wheelToFrameMs: performance.now() - t0, drawMs: Number(c.dataset.drawMs), eventsRead: Number(c.dataset.eventsRead) });
      }
      return out;
    },
    { x: box.x + 600, y: box.y + 200, steps },
  );
  const draws = zoom.map((z) => z.drawMs);
  const waits = zoom.map((z) => z.wheelToFrameMs);
  process.stdout.write(
    JSON.stringify({
      events: ingest.events,
      tasks: ingest.tasks,
      ingestMs: ingest.ms,
      fullViewDrawMs: full.drawMs,
      fullViewEventsRead: full.eventsRead,
      zoom: {
        steps,
        drawMs: { median: med(draws), max: Math.max(...draws) },
        wheelToFrameMs: { median: med(waits), max: Math.max(...waits) },
      },
    }) + '\n',
  );
} finally {
  await h.stop();
}
