// The targets (#7), checked against a result. A target whose measurement was not run (a
// partial run, a part of the debugger not built yet) is reported as not measured, never as met.
import { median } from './stats.mjs';

/** How much slower `id` ran than `baseId`, round by round (paired), as a fraction (0.02 = 2 % slower). */
export function slowdown(workloadResult, id, baseId) {
  const a = workloadResult?.contenders[id];
  const b = workloadResult?.contenders[baseId];
  if (!a || !b) return null;
  return median(a.rounds.map((r, i) => b.rounds[i] / r)) - 1;
}

/** @param {any} results  @returns {{ id: string, what: string, bar: string, value: string | null, met: boolean | null }[]} */
export function checkTargets(results) {
  const sw = results.workloads.find((w) => w.workload === 'switch');
  const ratio = (id) => sw?.contenders[id]?.loopscopeOverThis ?? null;
  const pct = (x) => (x === null ? null : x >= 1 ? `${(1 + x).toFixed(1)}× slower` : `${(x * 100).toFixed(1)} %`);
  const times = (x) => (x === null ? null : `${x.toFixed(x < 10 ? 2 : 0)}×`);
  const out = [];
  const add = (id, what, bar, x, fmt, ok) => out.push({ id, what, bar, value: x === null ? null : fmt(x), met: x === null ? null : ok(x) });
  add('switch-asyncio', 'switch rate, Loopscope ÷ CPython asyncio', '≥ 10×', ratio('asyncio'), times, (x) => x >= 10);
  add('switch-native', 'switch rate, Loopscope ÷ native `await null`', '≥ 1×', ratio('native'), times, (x) => x >= 1);
  add('switch-effection', 'switch rate, Loopscope ÷ Effection', '≥ 100×', ratio('effection'), times, (x) => x >= 100);
  add('no-instrument', 'switch: no instrument vs a build without hook sites (slower by)', '≤ 2 %', slowdown(sw, 'loopscope', 'nohooks'), pct, (x) => x <= 0.02);
  add('agent', 'switch: agent streaming state to a local consumer vs no instrument (slower by)', '≤ 25 %', slowdown(sw, 'agent', 'loopscope'), pct, (x) => x <= 0.25);
  add('timeline', 'switch: agent streaming every event to a local consumer vs no instrument (slower by)', '≤ 25 %', slowdown(sw, 'timeline', 'loopscope'), pct, (x) => x <= 0.25);
  add('adapter', 'switch: streaming to the debug adapter (launch defaults) vs no instrument (slower by)', '≤ 25 %', slowdown(sw, 'adapter', 'loopscope'), pct, (x) => x <= 0.25);
  const ingest = results.debugger?.adapterIngest?.[results.clock === 'wall' ? 'eventsPerSec' : 'eventsPerCpuSec'] ?? results.debugger?.adapterIngest?.eventsPerSec ?? null;
  add('adapter-ingest', 'events per second the adapter ingests', '≥ 1 M/s', ingest, (x) => `${(x / 1e6).toFixed(2)} M/s`, (x) => x >= 1e6);
  const mem = results.memory?.peers?.loopscope?.bytesPerTask ?? null;
  add('memory', 'bytes per suspended task at 100,000 tasks', '≤ 1 KB', mem, (x) => `${x.toFixed(0)} B`, (x) => x <= 1024);
  return out;
}
