// One benchmark round in its own process: `node bench/child.mjs '<json>'` with
// { peer: 'loopscope'|'native'|'effection', workload, params, warmups, warmupMs, runs,
//   bundle?: path of the loopscope bundle (default runtime/dist/index.js), watch?: 'none'|'noop' }.
// Warm-up runs (not timed) go on until both `warmups` runs and `warmupMs` have passed: V8 needs
// a few hundred milliseconds to reach its optimized code, and a cold run measures the compiler.
// Prints one JSON line: { checksum, times_ms, cpu_ms, node, hookCalls? }: per timed run, its wall
// time and the CPU time (user + system, all threads) the process spent during it.
// (CPython rounds run bench/workloads/asyncio_workloads.py, which prints the same shape.)
import { pathToFileURL } from 'node:url';
import { checkParams } from './workloads/spec.mjs';
import { noopInstrument } from './noopInstrument.mjs';
import { RUNTIME_BUNDLE } from './buildVariants.mjs';

const args = JSON.parse(process.argv[2] ?? 'null');
if (!args || typeof args !== 'object') throw new Error("usage: node bench/child.mjs '{\"peer\":\"loopscope\",\"workload\":\"switch\",\"params\":{...},\"warmups\":1,\"runs\":3}'");
const { peer, workload, params, warmups = 1, warmupMs = 0, runs = 3, bundle = RUNTIME_BUNDLE, watch = 'none' } = args;
checkParams(workload, params);

async function loadWorkloads() {
  if (peer === 'loopscope') {
    const ls = await import(pathToFileURL(bundle).href);
    const { loopscopeWorkloads } = await import('./workloads/loopscope.mjs');
    let instrument = null;
    if (watch === 'noop') {
      instrument = noopInstrument();
      ls.addInstrument(instrument);
    } else if (watch !== 'none') throw new Error(`child: unknown watch mode '${watch}' (none, noop)`);
    return { workloads: loopscopeWorkloads(ls), instrument };
  }
  if (peer === 'native') return { workloads: (await import('./workloads/native.mjs')).nativeWorkloads, instrument: null };
  if (peer === 'effection') return { workloads: (await import('./workloads/effection.mjs')).effectionWorkloads, instrument: null };
  throw new Error(`child: unknown peer '${peer}' (loopscope, native, effection)`);
}

const { workloads, instrument } = await loadWorkloads();
const fn = workloads[workload];
let checksum = null;
const times = [];
const cpu = [];
const warmStart = performance.now();
for (let i = 0; i < warmups || performance.now() - warmStart < warmupMs; i++) await once(false);
for (let i = 0; i < runs; i++) await once(true);

async function once(timed) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn(params);
  const elapsed = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (checksum !== null && result !== checksum) throw new Error(`${peer} ${workload}: checksum changed between runs: ${checksum} then ${result}`);
  checksum = result;
  if (timed) {
    times.push(elapsed);
    cpu.push((c.user + c.system) / 1000);
  }
}
process.stdout.write(JSON.stringify({ checksum, times_ms: times, cpu_ms: cpu, node: process.version, hookCalls: instrument?.calls }) + '\n');
