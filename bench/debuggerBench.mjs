// The debugger side: what the adapter ingests, what the Tasks view model costs per update, and
// (when the webview exists) the timeline's frame time. Each measurement in its own process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { median } from './stats.mjs';
import { benchAdapterIngest, ADAPTER } from './adapterIngest.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The full run's sizes; the smoke run passes its own (bench/main.mjs).
 * @typedef {{ adapterShape?: { tasks: number, deltas: number, events: number, records: number },
 *   treeModel: { sizes: number[], changed: number, updates: number, rounds: number },
 *   timeline: { events: number, steps?: number, rounds: number } }} DebuggerSizes
 * @type {DebuggerSizes}
 */
const FULL = {
  treeModel: { sizes: [10_000, 100_000], changed: 1000, updates: 30, rounds: 2 }, // two rounds: a 100,000-task snapshot alone takes seconds
  timeline: { events: 1_000_000, rounds: 2 }, // two rounds: each loads a browser and a million events
};

/** @param {{ rounds: number, built: { peer: string | null, protocol: string | null, treeModel: string | null }, skipped: { what: string, why: string }[], log: (s: string) => void, sizes?: DebuggerSizes }} opts */
export async function benchDebugger(opts) {
  const sizes = opts.sizes ?? FULL;
  const out = {};
  if (!existsSync(ADAPTER)) opts.skipped.push({ what: 'adapter ingest', why: 'dist/debugAdapter.js is not built' });
  else if (!opts.built.protocol) opts.skipped.push({ what: 'adapter ingest', why: 'runtime/src/protocol is missing' });
  else out.adapterIngest = await benchAdapterIngest({ rounds: opts.rounds, shape: sizes.adapterShape, log: opts.log });

  if (!opts.built.treeModel) opts.skipped.push({ what: 'Tasks view model', why: 'extension/src/model/taskTreeModel.ts does not exist' });
  else {
    const { changed, updates } = sizes.treeModel;
    // The creator tree, then the same tasks grouped by location (the largest group expanded).
    for (const groupBy of ['creator', 'location']) {
      for (const n of sizes.treeModel.sizes) {
        const runs = [];
        for (let round = 0; round < sizes.treeModel.rounds; round++) {
          runs.push(await runChild(process.execPath, [join(here, 'treeModel.mjs'), JSON.stringify({ n, changed, updates, groupBy })], { label: `tree model ${n} by ${groupBy}` }));
        }
        const r = {
          n,
          groupBy,
          changedPerUpdate: changed,
          snapshotMs: median(runs.map((x) => x.snapshotMs)),
          updateMs: median(runs.map((x) => x.updateMs)),
          updateP90Ms: median(runs.map((x) => x.updateP90Ms)),
        };
        const by = groupBy === 'location' ? ', grouped by location' : '';
        r.summary = `${n.toLocaleString('en')} tasks${by}: snapshot ${r.snapshotMs.toFixed(0)} ms; an update of ${changed.toLocaleString('en')} changed tasks ${r.updateMs.toFixed(1)} ms (p90 ${r.updateP90Ms.toFixed(1)} ms), view re-listing included`;
        out[`treeModel${groupBy === 'location' ? 'ByLocation' : ''}${n / 1000}k`] = r;
        opts.log(`  tree model: ${r.summary}`);
      }
    }
  }
  const timeline = await benchTimeline(opts, sizes.timeline);
  if (timeline) out.timeline = timeline;
  return out;
}

/**
 * Node's arguments for one timeline measurement: plain tsx, outside vitest (so bench/timelineFrames.mts
 * must not import anything that loads vitest). test/browser/benchTimeline.test.ts runs the same.
 * @param {{ events: number, tasks?: number, steps?: number }} frames
 */
export function timelineFramesArgs(frames) {
  return ['--import', 'tsx', join(here, 'timelineFrames.mts'), JSON.stringify(frames)];
}

/** The timeline with 1,000,000 events (the full run) in Chromium; skipped without Chromium or the built webview. */
async function benchTimeline(opts, size) {
  const chromium = process.env.LOOPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  const why = !existsSync(join(here, '../webview/src/timeline/timelineView.ts'))
    ? 'the Task Inspector has no timeline (webview/src/timeline)'
    : !existsSync(join(here, '../dist/webview/main.js'))
      ? 'dist/webview/main.js is not built'
      : !existsSync(chromium)
        ? `no Chromium at ${chromium} (set LOOPSCOPE_CHROMIUM)`
        : null;
  if (why) {
    opts.skipped.push({ what: 'webview timeline frame time', why });
    return null;
  }
  const runs = [];
  const { rounds, ...frames } = size;
  for (let round = 0; round < rounds; round++) {
    runs.push(await runChild(process.execPath, timelineFramesArgs(frames), { label: 'timeline frames', timeoutMs: 180_000 }));
  }
  const m = (f) => median(runs.map(f));
  const r = {
    events: runs[0].events,
    tasks: runs[0].tasks,
    ingestMs: m((x) => x.ingestMs),
    fullViewDrawMs: m((x) => x.fullViewDrawMs),
    zoomDrawMs: m((x) => x.zoom.drawMs.median),
    zoomDrawMaxMs: m((x) => x.zoom.drawMs.max),
    wheelToFrameMs: m((x) => x.zoom.wheelToFrameMs.median),
    wheelToFrameMaxMs: m((x) => x.zoom.wheelToFrameMs.max),
    rounds: runs,
  };
  r.summary =
    `${r.events.toLocaleString('en')} events over ${r.tasks} tasks: taken in ${r.ingestMs.toFixed(0)} ms; the whole range drawn in ${r.fullViewDrawMs.toFixed(1)} ms; ` +
    `while zooming, a frame draws in ${r.zoomDrawMs.toFixed(1)} ms (max ${r.zoomDrawMaxMs.toFixed(1)}) and appears ${r.wheelToFrameMs.toFixed(1)} ms after the wheel event (max ${r.wheelToFrameMaxMs.toFixed(1)})`;
  opts.log(`  timeline: ${r.summary}`);
  return r;
}
