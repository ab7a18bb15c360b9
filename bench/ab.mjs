// Paired A/B of two builds of the runtime on one workload: is a change to the runtime faster?
//   cp runtime/dist/index.js /tmp/before.mjs; (change, node scripts/build.mjs)
//   node bench/ab.mjs /tmp/before.mjs runtime/dist/index.js switch '{"n":1000,"m":1000}' 9
// Each round runs both bundles in fresh processes, in alternating order; prints the median of the
// per-round speed ratios (CPU time; > 1: B is faster). The checksum is checked every time.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { WORKLOADS, checkParams } from './workloads/spec.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [a, b, workload = 'switch', paramsText, roundsText = '9'] = process.argv.slice(2);
if (!a || !b) throw new Error("usage: node bench/ab.mjs A_BUNDLE B_BUNDLE [WORKLOAD] [PARAMS_JSON] [ROUNDS]");
const params = paramsText ? JSON.parse(paramsText) : { ...WORKLOADS[workload]?.base };
checkParams(workload, params);
const rounds = Number(roundsText);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${roundsText}`);

async function once(bundle) {
  const r = await runChild(process.execPath, [join(here, 'child.mjs'), JSON.stringify({ peer: 'loopscope', bundle: resolve(bundle), workload, params, warmups: 2, warmupMs: 250, runs: 3 })], { label: bundle });
  if (r.checksum !== WORKLOADS[workload].checksum(params)) throw new Error(`${bundle}: wrong checksum ${r.checksum} for ${workload}`);
  return median(r.cpu_ms);
}

const ratios = [];
for (let i = 0; i < rounds; i++) {
  let ta, tb;
  if (i % 2) {
    tb = await once(b);
    ta = await once(a);
  } else {
    ta = await once(a);
    tb = await once(b);
  }
  ratios.push(ta / tb);
  console.log(`round ${i + 1}: A ${ta.toFixed(1)} ms, B ${tb.toFixed(1)} ms (CPU)  B/A speed ${(ta / tb).toFixed(3)}`);
}
console.log(`${workload} ${JSON.stringify(params)}: B runs at ${median(ratios).toFixed(3)}× A's speed (median of ${rounds} paired rounds)`);
