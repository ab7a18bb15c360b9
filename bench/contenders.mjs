// Who runs the workloads: Loopscope (the bundle users get), its peers, and Loopscope watched in
// each way the debugger watches it. Each round of each contender runs in its own process.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { NOHOOKS_BUNDLE, RUNTIME_BUNDLE } from './buildVariants.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'child.mjs');
const PY = join(here, 'workloads', 'asyncio_workloads.py');

function hasPython() {
  try {
    execFileSync('python3', ['-c', 'import asyncio; asyncio.TaskGroup'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function nodeRound(config) {
  return (workload, params, timing) =>
    runChild(process.execPath, [CHILD, JSON.stringify({ ...config, workload, params, ...timing })], { label: `${config.peer} ${workload}` });
}

/**
 * @typedef {{ id: string, label: string, about: string, group: 'peer' | 'watch',
 *   unavailable: () => string | null,
 *   round: (workload: string, params: object, timing: Timing) => Promise<{ checksum: number, times_ms: number[] }> }} Contender
 * @typedef {{ warmups: number, warmupMs: number, runs: number }} Timing
 */

/** @type {Contender[]} */
export const CONTENDERS = [
  {
    id: 'loopscope',
    label: 'Loopscope',
    about: 'runtime/dist/index.js, no instrument installed',
    group: 'peer',
    unavailable: () => (existsSync(RUNTIME_BUNDLE) ? null : 'runtime/dist/index.js is missing (node scripts/build.mjs)'),
    round: nodeRound({ peer: 'loopscope', bundle: RUNTIME_BUNDLE }),
  },
  {
    id: 'native',
    label: 'Node async/await',
    about: 'plain async functions; await null to switch',
    group: 'peer',
    unavailable: () => null,
    round: nodeRound({ peer: 'native' }),
  },
  {
    id: 'asyncio',
    label: 'CPython asyncio',
    about: 'python3, asyncio.run',
    group: 'peer',
    unavailable: () => (hasPython() ? null : 'python3 (3.11+, for asyncio.TaskGroup) is not on PATH'),
    // CPython 3.11 has no JIT: one warm-up run (imports, caches) is all it needs.
    round: (workload, params, timing) =>
      runChild('python3', [PY, workload, JSON.stringify(params), '1', String(timing.runs)], { label: `asyncio ${workload}` }),
  },
  {
    id: 'effection',
    label: 'Effection 4',
    about: 'effection from npm; an immediately-resolving action to switch',
    group: 'peer',
    unavailable: () => null,
    round: nodeRound({ peer: 'effection' }),
  },
  {
    id: 'nohooks',
    label: 'Loopscope, no hook sites',
    about: 'bench/.build/nohooks.js: the same build with every hook site compiled out',
    group: 'watch',
    unavailable: () => (existsSync(NOHOOKS_BUNDLE) ? null : 'bench/.build/nohooks.js was not built'),
    round: nodeRound({ peer: 'loopscope', bundle: NOHOOKS_BUNDLE }),
  },
  {
    id: 'noop',
    label: 'Loopscope, no-op instrument',
    about: 'an instrument implementing all 12 hooks, each counting its calls',
    group: 'watch',
    unavailable: () => null,
    round: nodeRound({ peer: 'loopscope', bundle: RUNTIME_BUNDLE, watch: 'noop' }),
  },
];

export function contender(id) {
  const c = CONTENDERS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown contender '${id}' (known: ${CONTENDERS.map((x) => x.id).join(', ')})`);
  return c;
}
