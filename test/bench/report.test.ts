// The benchmark's report: targets judged from results (never "met" when not measured), paired
// slowdowns, and docs/performance.md's results section replaced without touching the prose.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTargets, slowdown } from '../../bench/targets.mjs';
import { renderResults, updateDocs, slowerBy } from '../../bench/report.mjs';

function contender(rounds: number[], loopscopeOverThis = 1) {
  return { label: 'x', params: {}, ratePerSec: rounds[0], noise: 0, rounds, loopscopeOverThis, extras: [] };
}

const machine = { cpu: 'cpu', cores: 2, memoryGB: 4, os: 'linux', node: 'v20', python: '3.11', effection: '4.1.1' };

function results(withSwitch: boolean) {
  return {
    date: '2026-01-01 00:00 UTC',
    command: 'npm run bench',
    machine,
    rounds: 3,
    clock: 'cpu',
    load: { start: 0.1, end: 0.2 },
    workloads: withSwitch
      ? [
          {
            workload: 'switch',
            about: '',
            unit: 'switches',
            contenders: {
              loopscope: contender([100, 100, 100]),
              nohooks: contender([101, 102, 101], 0.99),
              native: contender([90, 95, 80], 1.1),
              asyncio: contender([5, 5, 5], 20),
              effection: contender([1, 1, 1], 50),
              agent: contender([70, 70, 80]),
              timeline: contender([80, 80, 70]),
            },
          },
        ]
      : [],
    memory: withSwitch ? { n: 100000, peers: { loopscope: { label: 'Loopscope', about: '', bytesPerTask: 600, n: 100000 } } } : null,
    debugger: null,
    skipped: [],
  };
}

describe('targets', () => {
  it('a target nobody measured is not met and not missed', () => {
    for (const t of checkTargets(results(false))) {
      expect(t.met, t.id).toBeNull();
      expect(t.value, t.id).toBeNull();
    }
  });

  it('judges each measured target against its bar', () => {
    const byId = Object.fromEntries(checkTargets(results(true)).map((t) => [t.id, t]));
    expect(byId['switch-asyncio'].met).toBe(true); // 20× ≥ 10×
    expect(byId['switch-native'].met).toBe(true); // 1.1× ≥ 1×
    expect(byId['switch-effection'].met).toBe(false); // 50× < 100×
    expect(byId['no-instrument'].met).toBe(true); // nohooks 1–2 % faster than no instrument
    expect(byId['agent'].met).toBe(false); // rounds 43 %, 43 %, 25 %: median 43 % > 25 %
    expect(byId['timeline'].met).toBe(true); // rounds 25 %, 25 %, 43 %: median 25 %, the bar is inclusive
    expect(byId['memory'].met).toBe(true);
    expect(byId['adapter'].met).toBeNull();
  });

  it('slowdowns are paired round by round, then the median', () => {
    const w = results(true).workloads[0];
    // Rounds: 100/80, 100/80, 100/70 → 1.25, 1.25, 1.43 → median 1.25 → 25 % slower (not the ratio of medians).
    expect(slowdown(w, 'timeline', 'loopscope')).toBeCloseTo(0.25, 10);
    expect(slowdown(w, 'missing', 'loopscope')).toBeNull();
    expect(slowerBy(0.25)).toBe('+25.0 %');
    expect(slowerBy(-0.05)).toBe('−5.0 %');
    expect(slowerBy(7.8)).toBe('8.8× slower');
  });
});

describe('docs/performance.md', () => {
  it('replaces only what is between the markers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-report-'));
    try {
      const file = join(dir, 'performance.md');
      const start = '<!-- bench:results:start (written by `npm run bench`; edit the text outside these markers) -->';
      writeFileSync(file, `# Title\n\nprose before\n\n${start}\n\nold results\n\n<!-- bench:results:end -->\n\nprose after\n`);
      updateDocs(file, results(true));
      const doc = readFileSync(file, 'utf8');
      expect(doc).toContain('prose before');
      expect(doc).toContain('prose after');
      expect(doc).not.toContain('old results');
      expect(doc).toContain(renderResults(results(true)));
      writeFileSync(file, '# no markers\n');
      expect(() => updateDocs(file, results(true))).toThrow(/has no results markers/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
