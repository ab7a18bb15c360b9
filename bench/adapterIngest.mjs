// Events per second the debug adapter ingests and forwards: bench/fakeRuntime.mjs streams step
// events to dist/debugAdapter.js as fast as the socket drains; the DAP client here counts the events
// the adapter forwards in its 'loopscope/delta' events. Rate = forwarded events / time from the
// first forwarded delta to the last, by the wall clock and by the adapter process's own CPU time
// (Linux /proc; the rate it would reach with a core to itself). Each round is a fresh adapter and a
// fresh fake runtime.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { runUnderAdapter } from './dapClient.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ADAPTER = join(here, '../dist/debugAdapter.js');

/** CPU time (user + system, ms) a process has used, from /proc; null where there is no /proc. */
function processCpuMs(pid) {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** @param {{ rounds: number, shape?: { tasks: number, deltas: number, events: number, records: number }, log: (s: string) => void }} opts */
export async function benchAdapterIngest(opts) {
  const shape = opts.shape ?? { tasks: 1000, deltas: 60, events: 10_000, records: 100 };
  const rates = [];
  const cpuRates = [];
  for (let round = 0; round < opts.rounds; round++) {
    let forwarded = 0;
    let first = 0;
    let last = 0;
    let cpuFirst = null;
    let cpuLast = null;
    const r = await runUnderAdapter({
      adapter: ADAPTER,
      program: join(here, 'fakeRuntime.mjs'),
      args: [JSON.stringify(shape)],
      launch: { timeline: true, stacks: 'sampled' },
      label: 'adapter ingest',
      onEvent(event, body, pid) {
        if (event !== 'loopscope/delta' || !body.events) return;
        const now = performance.now();
        const cpu = pid === undefined ? null : processCpuMs(pid);
        if (forwarded === 0) {
          first = now;
          cpuFirst = cpu;
        }
        forwarded += body.events.length;
        last = now;
        cpuLast = cpu;
      },
    });
    if (forwarded !== r.sentEvents) throw new Error(`adapter ingest: the fake runtime sent ${r.sentEvents} events, the adapter forwarded ${forwarded}`);
    // The first delta's events arrived at `first`: the time covers the other deltas' events.
    const rate = (forwarded - shape.events) / ((last - first) / 1000);
    rates.push(rate);
    const cpuRate = cpuFirst !== null && cpuLast !== null && cpuLast > cpuFirst ? (forwarded - shape.events) / ((cpuLast - cpuFirst) / 1000) : null;
    if (cpuRate !== null) cpuRates.push(cpuRate);
    opts.log(`  adapter ingest: round ${round + 1}/${opts.rounds} ${(rate / 1e6).toFixed(2)}M events/s (wall), ${cpuRate === null ? '—' : (cpuRate / 1e6).toFixed(2) + 'M'} per adapter CPU second`);
  }
  const eventsPerSec = median(rates);
  const eventsPerCpuSec = cpuRates.length ? median(cpuRates) : null;
  return {
    shape,
    eventsPerSec,
    eventsPerCpuSec,
    rounds: rates,
    cpuRounds: cpuRates,
    summary:
      `${(eventsPerSec / 1e6).toFixed(2)} M events/s ingested and forwarded by the wall clock` +
      (eventsPerCpuSec === null ? '' : `, ${(eventsPerCpuSec / 1e6).toFixed(2)} M per second of the adapter's CPU time`) +
      ` (fake runtime → dist/debugAdapter.js → DAP client; ${shape.events.toLocaleString('en')} events and ${shape.records} task records per delta)`,
  };
}
