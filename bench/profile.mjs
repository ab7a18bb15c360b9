// Profiles one contender on one workload, or the adapter's ingest, with node --cpu-prof, and prints
// where the time goes: what docs/performance.md's explanations of missed targets are made from.
//   node bench/profile.mjs WORKLOAD CONTENDER [PARAMS_JSON]   (CONTENDER: loopscope nohooks noop agent timeline adapter)
//   node bench/profile.mjs ingest
// Profiles land in bench/profiles/ (gitignored). Run `npm run bench` (or node scripts/build.mjs) first.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { WORKLOADS, checkParams } from './workloads/spec.mjs';
import { runChild } from './runChild.mjs';
import { runWithConsumer } from './watchers.mjs';
import { runUnderAdapter } from './dapClient.mjs';
import { buildVariants, NOHOOKS_BUNDLE, PEER_BUNDLE, RUNTIME_BUNDLE } from './buildVariants.mjs';
import { ADAPTER } from './adapterIngest.mjs';
import { summarizeProfile } from './profileSummary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SITES_REGISTER = pathToFileURL(join(here, '../runtime/dist/register.mjs')).href;
const dir = join(here, 'profiles');
const [what, who, paramsText] = process.argv.slice(2);
if (!what) throw new Error('usage: node bench/profile.mjs WORKLOAD CONTENDER [PARAMS_JSON] | node bench/profile.mjs ingest');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
await buildVariants();
const prof = (name) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];
const timing = { warmups: 2, warmupMs: 300, runs: 5 };

let result;
if (what === 'ingest') {
  result = await runUnderAdapter({
    adapter: ADAPTER,
    nodeArgs: prof('adapter'),
    program: join(here, 'fakeRuntime.mjs'),
    args: [JSON.stringify({ tasks: 1000, deltas: 60, events: 10_000, records: 100 })],
    launch: { timeline: true, stacks: 'sampled' },
    label: 'profile ingest',
  });
} else {
  const params = paramsText ? JSON.parse(paramsText) : { ...WORKLOADS[what]?.base };
  checkParams(what, params);
  const childArgs = (bundle, watch = 'none') => [join(here, 'child.mjs'), JSON.stringify({ peer: 'loopscope', bundle, watch, workload: what, params, ...timing })];
  if (who === 'loopscope' || who === 'nohooks' || who === 'noop') {
    result = await runChild(process.execPath, [...prof(who), ...childArgs(who === 'nohooks' ? NOHOOKS_BUNDLE : RUNTIME_BUNDLE, who === 'noop' ? 'noop' : 'none')]);
  } else if (who === 'agent' || who === 'timeline') {
    // Through the await-site transform, as the bench's agent rows, the CLI and the adapter run programs.
    result = await runWithConsumer(PEER_BUNDLE, process.execPath, [...prof(who), '--import', SITES_REGISTER, ...childArgs(RUNTIME_BUNDLE)], who, { timeline: who === 'timeline', stacks: 'sampled' });
  } else if (who === 'adapter') {
    const [program, ...args] = childArgs(RUNTIME_BUNDLE);
    result = await runUnderAdapter({ adapter: ADAPTER, nodeArgs: prof('adapter'), program, args, launch: { runtimeArgs: prof('program') }, label: 'profile adapter' });
  } else throw new Error(`unknown contender '${who}' (loopscope, nohooks, noop, agent, timeline, adapter)`);
}
console.log(JSON.stringify(result));
// Give the adapter's process time to write its profile on exit.
await new Promise((r) => setTimeout(r, 2500));
for (const f of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  console.log(`\n${f}`);
  for (const r of summarizeProfile(join(dir, f), 20)) console.log(`${(r.share * 100).toFixed(1).padStart(5)} %  ${r.selfMs.toFixed(1).padStart(8)} ms  ${r.fn}  ${r.where}`);
}
