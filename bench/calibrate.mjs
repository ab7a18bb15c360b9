// Chooses each contender's workload size so that one run takes about `targetMs`: the slow peers
// run smaller versions of the same program (only the parameter the work grows linearly with
// changes), and rates are compared. A peer never runs a bigger size than Loopscope's, so a peer
// never pays for a bigger heap than Loopscope does.
import { WORKLOADS } from './workloads/spec.mjs';
import { runTimes } from './workloadBench.mjs';

const MIN_PROBE_MS = 25;

/**
 * @param {import('./contenders.mjs').Contender} c
 * @param {string} workload
 * @param {number} targetMs
 * @param {'cpu' | 'wall'} clock
 * @param {number} [cap] the most the linear parameter may be
 */
export async function calibrate(c, workload, targetMs, clock, cap = Infinity) {
  const w = WORKLOADS[workload];
  const key = w.linear;
  const params = { ...w.base };
  params[key] = Math.min(params[key], cap);
  let ms = await probe(c, workload, params, clock);
  for (let i = 0; i < 5 && ms < MIN_PROBE_MS && params[key] < cap; i++) {
    params[key] = Math.min(params[key] * 4, cap);
    ms = await probe(c, workload, params, clock);
  }
  params[key] = Math.max(1, Math.min(cap, Math.round((params[key] * targetMs) / Math.max(ms, 0.1))));
  return params;
}

async function probe(c, workload, params, clock) {
  // Warm: a cold run measures V8's compiler and would size the rounds far too small. The fastest of
  // three runs: on a busy machine the others measure the machine.
  const r = await c.round(workload, params, { warmups: 3, warmupMs: 150, runs: 3 });
  return Math.min(...runTimes(r, clock));
}
