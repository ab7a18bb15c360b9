// Events per second the debug adapter ingests and forwards: bench/fakeRuntime.mjs streams step
// events to dist/debugAdapter.js as fast as the socket drains; the DAP client here counts the events
// the adapter forwards in its 'loopscope/delta' events. Rate = forwarded events / time from the
// first forwarded delta to the last. Each round is a fresh adapter and a fresh fake runtime.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runUnderAdapter } from './dapClient.mjs';
import { median } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ADAPTER = join(here, '../dist/debugAdapter.js');

/** @param {{ rounds: number, shape?: { tasks: number, deltas: number, events: number, records: number }, log: (s: string) => void }} opts */
export async function benchAdapterIngest(opts) {
  const shape = opts.shape ?? { tasks: 1000, deltas: 60, events: 10_000, records: 100 };
  const rates = [];
  for (let round = 0; round < opts.rounds; round++) {
    let forwarded = 0;
    let first = 0;
    let last = 0;
    const r = await runUnderAdapter({
      adapter: ADAPTER,
      program: join(here, 'fakeRuntime.mjs'),
      args: [JSON.stringify(shape)],
      launch: { timeline: true, stacks: 'sampled' },
      label: 'adapter ingest',
      onEvent(event, body) {
        if (event !== 'loopscope/delta' || !body.events) return;
        const now = performance.now();
        if (forwarded === 0) first = now;
        forwarded += body.events.length;
        last = now;
      },
    });
    if (forwarded !== r.sentEvents) throw new Error(`adapter ingest: the fake runtime sent ${r.sentEvents} events, the adapter forwarded ${forwarded}`);
    // The first delta's events arrived at `first`: the time covers the other deltas' events.
    const rate = (forwarded - shape.events) / ((last - first) / 1000);
    rates.push(rate);
    opts.log(`  adapter ingest: round ${round + 1}/${opts.rounds} ${(rate / 1e6).toFixed(2)}M events/s`);
  }
  const eventsPerSec = median(rates);
  return { shape, eventsPerSec, rounds: rates, summary: `${(eventsPerSec / 1e6).toFixed(2)} M events/s ingested and forwarded (fake runtime → dist/debugAdapter.js → DAP client; ${shape.events} events and ${shape.records} task records per delta)` };
}
