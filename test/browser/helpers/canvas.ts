// Reading what the timeline drew: its mapping (the canvas's data attributes) and its pixels.
import type { Page } from 'playwright-core';

export interface TimelineMapping {
  start: number;
  msPerPx: number;
  scrollY: number;
  labelWidth: number;
  axisHeight: number;
  laneHeight: number;
  drawMs: number;
  eventsRead: number;
  frames: number;
}

export function mapping(page: Page): Promise<TimelineMapping> {
  // No helper functions inside: page.evaluate bodies must not depend on a bundler's helpers (tsx's __name).
  return page.evaluate(() => {
    const d = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset;
    return {
      start: Number(d.start),
      msPerPx: Number(d.msPerPx),
      scrollY: Number(d.scrollY),
      labelWidth: Number(d.labelWidth),
      axisHeight: Number(d.axisHeight),
      laneHeight: Number(d.laneHeight),
      drawMs: Number(d.drawMs),
      eventsRead: Number(d.eventsRead),
      frames: Number(d.frames),
    };
  });
}

/** CSS-pixel position of a time in a lane (its vertical centre). */
export function at(m: TimelineMapping, time: number, lane: number): { x: number; y: number } {
  return { x: m.labelWidth + (time - m.start) / m.msPerPx, y: m.axisHeight + lane * m.laneHeight - m.scrollY + m.laneHeight / 2 };
}

/** RGB of canvas pixels at CSS coordinates (the tests run at deviceScaleFactor 1). */
export function pixels(page: Page, points: { x: number; y: number }[]): Promise<[number, number, number][]> {
  return page.evaluate((pts) => {
    const c = document.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
    const ctx = c.getContext('2d')!;
    const scale = c.width / c.getBoundingClientRect().width;
    return pts.map((p) => {
      const d = ctx.getImageData(Math.floor(p.x * scale), Math.floor(p.y * scale), 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    });
  }, points);
}

/** A step bar's colour: VS Code's charts blue (#3794ff) over the dark background, at any density level. */
export function isStepBlue([r, g, b]: [number, number, number]): boolean {
  return b > 110 && b - r > 60 && b > g;
}

export function isRed([r, g, b]: [number, number, number]): boolean {
  return r > 180 && g < 120 && b < 120;
}

/** Waits until the timeline has drawn a frame after `after` frames. */
export async function nextFrame(page: Page, after: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector<HTMLCanvasElement>('.timeline-canvas')!.dataset.frames ?? '0') > n, after);
}
