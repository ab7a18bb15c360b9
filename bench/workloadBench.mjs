// Runs one workload on every contender: calibrate, then interleaved rounds (A B C A B C ...), each
// round a fresh process per contender; every result's checksum is checked against the spec.
import { WORKLOADS } from './workloads/spec.mjs';
import { calibrate } from './calibrate.mjs';
import { median, relativeMad } from './stats.mjs';

/**
 * @param {string} workload
 * @param {import('./contenders.mjs').Contender[]} contenders the first is Loopscope (the reference)
 * @param {{ rounds: number, targetMs: number, clock: 'cpu' | 'wall', timing: import('./contenders.mjs').Timing, sizes?: Record<string, number>, log: (s: string) => void }} opts
 *   `sizes`: every contender runs these (no calibration), as the smoke run does
 */
export async function benchWorkload(workload, contenders, opts) {
  const w = WORKLOADS[workload];
  const [reference] = contenders;
  const params = new Map();
  const refParams = opts.sizes ?? (await calibrate(reference, workload, opts.targetMs, opts.clock));
  for (const c of contenders) {
    if (opts.sizes || c === reference || (c.group === 'watch' && !c.ownSize)) params.set(c.id, refParams);
    else params.set(c.id, await calibrate(c, workload, opts.targetMs, opts.clock, refParams[w.linear]));
  }
  opts.log(`  ${workload}: sizes ${contenders.map((c) => `${c.id} ${JSON.stringify(params.get(c.id))}`).join(', ')}`);

  /** rates[id][round]: operations per second (median of the runs inside that round's process). */
  const rates = Object.fromEntries(contenders.map((c) => [c.id, []]));
  const extras = Object.fromEntries(contenders.map((c) => [c.id, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const c of contenders) {
      const p = params.get(c.id);
      const r = await c.round(workload, p, opts.timing);
      const expected = w.checksum(p);
      if (r.checksum !== expected) {
        throw new Error(`${c.label} computed checksum ${r.checksum} for ${workload} ${JSON.stringify(p)}, expected ${expected}: it did not do the work`);
      }
      rates[c.id].push(w.ops(p) / (median(runTimes(r, opts.clock)) / 1000));
      const { checksum: _c, times_ms: _t, cpu_ms: _u, ...rest } = r;
      extras[c.id].push(rest);
    }
    opts.log(`  ${workload}: round ${round + 1}/${opts.rounds} ${contenders.map((c) => `${c.id} ${fmtRate(rates[c.id][round])}`).join(' ')}`);
  }

  const refRates = rates[reference.id];
  const result = { workload, about: w.about, unit: w.unit, contenders: {} };
  for (const c of contenders) {
    // Ratios are taken round by round (the two processes ran back to back) and then the median.
    const perRound = rates[c.id].map((r, i) => refRates[i] / r);
    result.contenders[c.id] = {
      label: c.label,
      params: params.get(c.id),
      ratePerSec: median(rates[c.id]),
      noise: relativeMad(rates[c.id]),
      rounds: rates[c.id],
      loopscopeOverThis: median(perRound),
      extras: extras[c.id],
    };
  }
  return result;
}

/** The timed runs of a round, by the chosen clock. */
export function runTimes(r, clock) {
  const xs = clock === 'cpu' ? r.cpu_ms : r.times_ms;
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`a round reported no ${clock} times: ${JSON.stringify(r)}`);
  return xs;
}

export function fmtRate(r) {
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k/s`;
  return `${r.toFixed(0)}/s`;
}
