// Bytes per suspended task at n tasks, for Loopscope and its peers (each measurement its own process).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChild } from './runChild.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const PEERS = {
  loopscope: { label: 'Loopscope', about: 'a task whose coroutine is suspended at `yield* never` (a Future never resolved)' },
  native: { label: 'Node async/await', about: 'an async function suspended at `await never` (a Promise never resolved), and its promise' },
  asyncio: { label: 'CPython asyncio', about: 'a Task suspended at `await never` (a Future), measured by tracemalloc' },
  effection: { label: 'Effection 4', about: 'a spawned task suspended in suspend(); at 5,000 tasks (its teardown grows faster than linearly: 100,000 take minutes)', n: 5_000 },
};

/** A peer's own size (Effection's smaller one), never more than `n` (the smoke run's small n holds for all). */
const sizeFor = (peer, n) => Math.min(PEERS[peer].n ?? n, n);

/** @param {{ n: number, rounds: number, python: boolean, log: (s: string) => void }} opts */
export async function benchMemory(opts) {
  const samples = Object.fromEntries(Object.keys(PEERS).map((k) => [k, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const peer of Object.keys(PEERS)) {
      if (peer === 'asyncio') {
        if (!opts.python) continue;
        const r = await runChild('python3', [join(here, 'workloads', 'asyncio_memory.py'), String(opts.n)], { label: 'memory asyncio' });
        samples[peer].push(r.bytesPerTask);
      } else {
        const n = sizeFor(peer, opts.n);
        const r = await runChild(process.execPath, ['--expose-gc', join(here, 'memory.mjs'), JSON.stringify({ peer, n })], { label: `memory ${peer}` });
        samples[peer].push(r.bytesPerTask);
      }
    }
  }
  const out = { n: opts.n, peers: {} };
  for (const [peer, xs] of Object.entries(samples)) {
    if (xs.length === 0) continue;
    out.peers[peer] = { ...PEERS[peer], n: sizeFor(peer, opts.n), bytesPerTask: median(xs), rounds: xs };
  }
  opts.log(`  memory: ${Object.entries(out.peers).map(([k, v]) => `${k} ${v.bytesPerTask.toFixed(0)} B`).join(', ')}`);
  return out;
}
