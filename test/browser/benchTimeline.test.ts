// The benchmark's timeline part (bench/timelineFrames.mts) runs as `npm run bench` runs it: plain
// tsx, outside vitest, with the browser tests' harness. It once crashed at the end of a full run
// because that harness had come to import vitest. Here, in the browser stage (Chromium is
// installed by then), at a small size; test/bench/smoke.test.ts runs it too where Chromium is.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { timelineFramesArgs } from '../../bench/debuggerBench.mjs';
import { repoRoot } from './harness/server';

/**
 * The child's error without its stack frames: vitest reads the frames in a failure's message as its
 * own and chokes on tsx's (whole modules as data: URLs), hiding the failure behind its own error.
 */
const readable = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n');

describe('bench: the timeline frame time', () => {
  it('runs outside vitest and reports its frames', () => {
    const r = spawnSync(process.execPath, timelineFramesArgs({ events: 1000, steps: 2 }), { cwd: repoRoot, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, readable(r.stderr)).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out).toMatchObject({ events: 1000, tasks: 100, fullViewEventsRead: 1000, zoom: { steps: 2 } });
    expect(out.fullViewDrawMs).toBeGreaterThan(0);
  });
});
