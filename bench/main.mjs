// `npm run bench [-- NAME ...] [--rounds N] [--target-ms MS]`: builds, runs the selected parts
// (default: all), prints the tables, writes bench/results/latest.json and, for a full run,
// docs/performance.md. NAME is a workload (switch, spawn, ...), `memory` or `debugger`.
// `--smoke [--out FILE] [--no-build]`: every selected part once at tiny sizes, to check that each one
// runs (test/bench/smoke.test.ts); its figures mean nothing, so it writes neither the docs nor bench/results.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { WORKLOAD_NAMES } from './workloads/spec.mjs';
import { CONTENDERS } from './contenders.mjs';
import { buildVariants } from './buildVariants.mjs';
import { benchWorkload } from './workloadBench.mjs';
import { benchMemory } from './memoryBench.mjs';
import { benchDebugger } from './debuggerBench.mjs';
import { machineFacts, load1 } from './machine.mjs';
import { renderResults, updateDocs, peersTable, watchTable, memoryTable, targetsTable, machineLine } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = [...WORKLOAD_NAMES, 'memory', 'debugger'];
/**
 * Which ways of watching run on which workloads: the hook-dispatch rows on switch and spawn (the
 * no-hooks target is judged on switch), the agent and the debug adapter's launch defaults on every
 * workload (watching must stay cheap whatever the program does), the timeline on switch.
 */
const WATCHED = {
  switch: ['nohooks', 'noop', 'agent', 'timeline', 'adapter'],
  // The launch defaults' bar holds for every workload (issue #11): the agent and the adapter on each.
  spawn: ['nohooks', 'noop', 'agent', 'adapter'],
  pingpong: ['agent', 'adapter'],
  lock: ['agent', 'adapter'],
  timers: ['agent', 'adapter'],
  taskgroup: ['agent', 'adapter'],
};

/**
 * The smoke run's sizes: each workload small (no calibration; each dimension > 1 so that tasks
 * interleave), one round of one run with no warm-up; the memory, adapter, Tasks view and timeline
 * parts at their smallest meaningful sizes. Every process a full run starts is started, only shorter.
 */
const SMOKE = {
  workloads: {
    switch: { n: 100, m: 5 },
    spawn: { n: 100, reps: 2 },
    pingpong: { rounds: 200 },
    lock: { n: 10, k: 5 },
    timers: { n: 200, spread: 5 },
    taskgroup: { groups: 5, width: 10 },
  },
  timing: { warmups: 0, warmupMs: 0, runs: 1 },
  memoryN: 1000,
  debugger: {
    adapterShape: { tasks: 100, deltas: 5, events: 1000, records: 10 },
    treeModel: { sizes: [1000], changed: 100, updates: 12, rounds: 1 }, // treeModel.mjs times the updates after its 10 warm-up ones
    timeline: { events: 1000, steps: 2, rounds: 1 },
  },
};

function parseArgs(argv) {
  const opts = { names: [], rounds: 5, targetMs: 100, runs: 3, warmupMs: 250, clock: 'cpu', smoke: false, out: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (flag) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} takes a positive integer, got ${argv[i]}`);
      return v;
    };
    if (a === '--rounds') opts.rounds = num(a);
    else if (a === '--target-ms') opts.targetMs = num(a);
    else if (a === '--runs') opts.runs = num(a);
    else if (a === '--clock') {
      opts.clock = argv[++i];
      if (opts.clock !== 'cpu' && opts.clock !== 'wall') throw new Error(`--clock takes cpu or wall, got ${opts.clock}`);
    }
    else if (a === '--smoke') opts.smoke = true;
    else if (a === '--no-build') opts.build = false;
    else if (a === '--out') {
      opts.out = argv[++i];
      if (!opts.out) throw new Error('--out takes a file name');
    } else if (a === '--help' || a === '-h') {
      console.log(
        `usage: npm run bench [-- NAME ...] [--rounds N] [--target-ms MS] [--runs N] [--clock cpu|wall]\n` +
          `       npm run bench -- --smoke [NAME ...] [--out FILE] [--no-build]   (every part once at tiny sizes: checks that each runs)\n` +
          `  --no-build: use the bundles node scripts/build.mjs built before (the tests do: another test may be reading them)\n` +
          `  NAME: ${SECTIONS.join(', ')} (default: all)`,
      );
      process.exit(0);
    } else if (SECTIONS.includes(a)) opts.names.push(a);
    else throw new Error(`unknown benchmark '${a}' (known: ${SECTIONS.join(', ')})`);
  }
  if (opts.out && !opts.smoke) throw new Error('--out is for --smoke runs (a measuring run writes bench/results/)');
  if (!opts.build && !opts.smoke) throw new Error('--no-build is for --smoke runs (a measuring run measures a fresh build)');
  if (opts.smoke) opts.rounds = 1;
  else if (opts.rounds < 5) console.warn(`bench: ${opts.rounds} rounds is fewer than the 5 the results need to be trusted`);
  return opts;
}

export async function main(argv) {
  const opts = parseArgs(argv);
  const full = opts.names.length === 0 && !opts.smoke;
  const selected = opts.names.length === 0 ? SECTIONS : opts.names;
  const log = (s) => console.log(s);
  const t0 = Date.now();
  if (opts.smoke) log('bench: smoke run: every part once at tiny sizes; its figures mean nothing');

  if (opts.build) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  const variants = await buildVariants();
  log(`bench: no-hooks build rewrote ${variants.hookSites} hook sites (${Object.entries(variants.hookFiles).map(([f, n]) => `${f} ${n}`).join(', ')})`);

  const machine = machineFacts();
  log(`bench: ${machineLine(machine)}`);
  const loadAtStart = load1();
  if (loadAtStart > machine.cores / 2) {
    log(`bench: warning: the machine is busy (load average ${loadAtStart} on ${machine.cores} cores); the ratios are paired round by round, but absolute rates and small differences (the 2 % target) will be noisy`);
  }
  const skipped = [];
  const available = CONTENDERS.filter((c) => {
    const why = c.unavailable();
    if (why) skipped.push({ what: c.label, why });
    return !why;
  });
  for (const s of skipped) log(`bench: skipping ${s.what}: ${s.why}`);

  const results = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`,
    machine,
    rounds: opts.rounds,
    clock: opts.clock,
    load: { start: loadAtStart, end: null },
    noHooksBuild: { hookSites: variants.hookSites, files: variants.hookFiles },
    workloads: [],
    memory: null,
    debugger: null,
    skipped,
  };

  for (const name of selected.filter((n) => WORKLOAD_NAMES.includes(n))) {
    const contenders = available.filter((c) => c.group === 'peer' || WATCHED[name]?.includes(c.id));
    const t = Date.now();
    const timing = opts.smoke ? SMOKE.timing : { warmups: 2, warmupMs: opts.warmupMs, runs: opts.runs };
    const sizes = opts.smoke ? SMOKE.workloads[name] : undefined;
    if (opts.smoke && !sizes) throw new Error(`bench: the smoke run has no size for the workload '${name}' (SMOKE.workloads in bench/main.mjs)`);
    results.workloads.push(await benchWorkload(name, contenders, { ...opts, timing, sizes, log }));
    log(`  ${name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  if (selected.includes('memory')) {
    const t = Date.now();
    results.memory = await benchMemory({ n: opts.smoke ? SMOKE.memoryN : 100_000, rounds: opts.smoke ? 1 : 3, python: available.some((c) => c.id === 'asyncio'), log });
    log(`  memory: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  if (selected.includes('debugger')) {
    const t = Date.now();
    results.debugger = await benchDebugger({ rounds: opts.rounds, built: variants, skipped, log, sizes: opts.smoke ? SMOKE.debugger : undefined });
    log(`  debugger: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }

  results.load.end = load1();
  log('');
  if (results.workloads.length) log(peersTable(results));
  const watch = watchTable(results);
  if (watch) log('\n' + watch);
  const mem = memoryTable(results);
  if (mem) log('\n' + mem);
  // A smoke run's tiny sizes say nothing about the targets: they are rendered below, not printed.
  if (!opts.smoke) log('\n' + targetsTable(results));
  log(`\nbench: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  if (opts.smoke) {
    // The docs' section is rendered (so a smoke run checks it renders) but not written.
    renderResults(results);
    if (opts.out) {
      writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');
      log(`bench: wrote ${opts.out}`);
    }
    return results;
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', full ? 'latest.json' : 'partial.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  log(`bench: wrote ${file}`);
  if (full) {
    updateDocs(join(root, 'docs/performance.md'), results);
    log('bench: updated docs/performance.md');
  }
  return results;
}

export { renderResults };
