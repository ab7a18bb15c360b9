// Who runs the workloads: Loopscope (the bundle users get), its peers, and Loopscope watched in
// each way the debugger watches it. Each round of each contender runs in its own process.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { NOHOOKS_BUNDLE, PEER_BUNDLE, RUNTIME_BUNDLE } from './buildVariants.mjs';
import { runWithConsumer } from './watchers.mjs';
import { runUnderAdapter } from './dapClient.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The await-site transform, as `loopscope run` and the debug adapter load it into programs. */
const SITES_REGISTER = pathToFileURL(join(here, '../runtime/dist/register.mjs')).href;
const CHILD = join(here, 'child.mjs');
const PY = join(here, 'workloads', 'asyncio_workloads.py');
const ADAPTER = join(here, '../dist/debugAdapter.js');
const agentUnavailable = () =>
  !existsSync(join(here, '../runtime/src/agent/index.ts'))
    ? 'the runtime has no agent yet (runtime/src/agent/index.ts)'
    : existsSync(PEER_BUNDLE)
      ? null
      : 'bench/.build/peer.mjs was not built (runtime/src/protocol/peer.ts)';

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
 * A contender of group 'watch' runs Loopscope's size of each workload, unless `ownSize` (the agent's
 * rounds are slow enough to need their own, smaller size; rates are compared, as for peers).
 * @typedef {{ id: string, label: string, about: string, group: 'peer' | 'watch', ownSize?: boolean,
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
    about: 'bench/.build/nohooks.mjs: the same build with every hook site compiled out',
    group: 'watch',
    unavailable: () => (existsSync(NOHOOKS_BUNDLE) ? null : 'bench/.build/nohooks.mjs was not built'),
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
  {
    id: 'agent',
    label: 'Loopscope, agent → local consumer',
    about: "LOOPSCOPE_CONNECT from listenForRuntime(), the program loaded through the await-site transform (--import loopscope/register) as the CLI and the adapter load it; the agent's default options (state deltas, no timeline), the consumer discarding all it reads",
    group: 'watch',
    ownSize: true,
    unavailable: agentUnavailable,
    round: (workload, params, timing) =>
      runWithConsumer(PEER_BUNDLE, process.execPath, ['--import', SITES_REGISTER, CHILD, JSON.stringify({ peer: 'loopscope', bundle: RUNTIME_BUNDLE, workload, params, ...timing })], `agent ${workload}`, {
        timeline: false,
        stacks: 'sampled',
      }),
  },
  {
    id: 'timeline',
    label: 'Loopscope, agent + timeline → local consumer',
    about: 'as above, with every step event streamed (setOptions { timeline: true }), as the Task Inspector asks',
    group: 'watch',
    ownSize: true,
    unavailable: agentUnavailable,
    round: (workload, params, timing) =>
      runWithConsumer(PEER_BUNDLE, process.execPath, ['--import', SITES_REGISTER, CHILD, JSON.stringify({ peer: 'loopscope', bundle: RUNTIME_BUNDLE, workload, params, ...timing })], `timeline ${workload}`, {
        timeline: true,
        stacks: 'sampled',
      }),
  },
  {
    id: 'adapter',
    label: 'Loopscope, agent → debug adapter',
    about:
      'launched by dist/debugAdapter.js through DAP with the launch defaults (no timeline, sampled stacks; jsDebug: false), as the Tasks view uses it; the DAP client discarding what it reads',
    group: 'watch',
    ownSize: true,
    unavailable: () => agentUnavailable() ?? (existsSync(ADAPTER) ? null : 'dist/debugAdapter.js is missing (adapter/src/debugAdapter.ts not built)'),
    round: async (workload, params, timing) => {
      // The row is "the launch defaults": if a default turned the timeline back on, the adapter
      // would forward step events and the row would silently measure something else.
      let timelineEvents = 0;
      const r = await runUnderAdapter({
        adapter: ADAPTER,
        program: CHILD,
        args: [JSON.stringify({ peer: 'loopscope', bundle: RUNTIME_BUNDLE, workload, params, ...timing })],
        label: `adapter ${workload}`,
        onEvent: (event, body) => {
          if (event === 'loopscope/delta' && body?.events) timelineEvents += body.events.length;
        },
      });
      if (timelineEvents > 0) throw new Error(`adapter ${workload}: the launch defaults streamed ${timelineEvents} timeline events (the row measures the adapter with the timeline off)`);
      return r;
    },
  },
];

export function contender(id) {
  const c = CONTENDERS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown contender '${id}' (known: ${CONTENDERS.map((x) => x.id).join(', ')})`);
  return c;
}
