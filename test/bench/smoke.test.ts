// `npm run bench` runs: every part of it (each workload on every contender, memory, the adapter's
// ingest, the Tasks view model, the timeline in Chromium) once at tiny sizes through the same
// orchestration (`node scripts/bench.mjs --smoke`), so a part that no longer starts (the timeline's
// helper that came to import vitest) fails here and not at the end of a long full run.
// No figure is asserted: speed is measured by `npm run bench`, never by tests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOAD_NAMES } from '../../bench/workloads/spec.mjs';

const root = join(__dirname, '../..');
const CHROMIUM = process.env.LOOPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const hasPython = spawnSync('python3', ['-c', 'import asyncio; asyncio.TaskGroup']).status === 0;
const hasChromium = existsSync(CHROMIUM);

/** Parts a machine may lack, and the only reasons the smoke run may skip something for. */
const MAY_SKIP: { what: string; when: boolean }[] = [
  { what: 'CPython asyncio', when: !hasPython },
  // The unit stage of `npm test` runs before Chromium is installed on a fresh machine; the browser
  // stage then runs the timeline part itself (test/browser/benchTimeline.test.ts).
  { what: 'webview timeline frame time', when: !hasChromium },
];

let dir = '';
let results: any;
let out = '';

beforeAll(() => {
  // --no-build: the bundles of `node scripts/build.mjs` (which `npm test` runs first), not a rebuild
  // that other test files reading runtime/dist and dist/ at the same moment could see half-written.
  for (const f of ['runtime/dist/index.js', 'dist/debugAdapter.js', 'dist/webview/main.js']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run node scripts/build.mjs first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'loopscope-bench-smoke-'));
  const file = join(dir, 'results.json');
  const r = spawnSync(process.execPath, [join(root, 'scripts/bench.mjs'), '--smoke', '--no-build', '--out', file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  // Without the child's stack frames: vitest reads the frames in a failure's message as its own and
  // chokes on tsx's (whole modules as data: URLs), hiding the failure behind its own error.
  out = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n');
  if (r.status !== 0) throw new Error(`npm run bench -- --smoke exited with ${r.status ?? r.signal}:\n${out}`);
  results = JSON.parse(readFileSync(file, 'utf8'));
}, 130_000);

afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --smoke: every part runs', () => {
  it('skips nothing this machine has', () => {
    const allowed = MAY_SKIP.filter((s) => s.when).map((s) => s.what);
    expect(results.skipped.filter((s: { what: string }) => !allowed.includes(s.what)), out).toEqual([]);
  });

  it('runs every workload on every peer, watched by the agent and the adapter, and switch and spawn by the hook rows too', () => {
    expect(results.workloads.map((w: { workload: string }) => w.workload)).toEqual([...WORKLOAD_NAMES]);
    const peers = ['loopscope', 'native', ...(hasPython ? ['asyncio'] : []), 'effection'];
    const watched: Record<string, string[]> = {
      switch: ['nohooks', 'noop', 'agent', 'timeline', 'adapter'],
      spawn: ['nohooks', 'noop', 'agent', 'adapter'],
      pingpong: ['agent', 'adapter'],
      lock: ['agent', 'adapter'],
      timers: ['agent', 'adapter'],
      taskgroup: ['agent', 'adapter'],
    };
    for (const w of results.workloads) {
      expect(Object.keys(w.contenders).sort(), w.workload).toEqual([...peers, ...(watched[w.workload] ?? [])].sort());
      for (const [id, c] of Object.entries<{ ratePerSec: number }>(w.contenders)) expect(c.ratePerSec, `${w.workload} ${id}`).toBeGreaterThan(0);
    }
  });

  it("watches each way it says: the agent's rows get their options before the first step (state only; every step event)", () => {
    const sw = results.workloads.find((w: { workload: string }) => w.workload === 'switch');
    const watched = (id: string) => sw.contenders[id].extras[0].watched;
    expect(watched('agent').records).toBeGreaterThan(0);
    expect(watched('agent').events).toBe(0);
    // 100 tasks × 5 switches: a step event at least per switch, even in a round this short.
    expect(watched('timeline').events).toBeGreaterThanOrEqual(500);
  });

  it('measures memory on every peer', () => {
    expect(Object.keys(results.memory.peers).sort()).toEqual(['effection', 'loopscope', 'native', ...(hasPython ? ['asyncio'] : [])].sort());
  });

  it("measures the debugger's parts: the adapter's ingest, the Tasks view model and the timeline", () => {
    const d = results.debugger;
    expect(d.adapterIngest.eventsPerSec).toBeGreaterThan(0);
    expect(d.treeModel1k).toMatchObject({ n: 1000, groupBy: 'creator' });
    expect(d.treeModelByLocation1k).toMatchObject({ n: 1000, groupBy: 'location' });
    if (hasChromium) expect(d.timeline).toMatchObject({ events: 1000 });
    else expect(d.timeline).toBeUndefined();
  });

  it('prints the tables, says it is a smoke run, and writes neither the docs nor bench/results', () => {
    expect(out).toContain('bench: smoke run: every part once at tiny sizes');
    expect(out).toMatch(/\| switch \| .* switches/);
    expect(out).not.toContain('updated docs/performance.md');
    expect(out).not.toMatch(/wrote .*bench\/results/);
  });
});
