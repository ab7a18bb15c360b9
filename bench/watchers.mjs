// The debugger's side of the "cost of watching" rounds: a local consumer that accepts the runtime's
// connection, sets the agent's options and discards what it reads, as the debug adapter would minus
// the adapter's own work. As the adapter does, it starts the program stopped on entry and resumes it
// once the options are set: every step of the round is watched as asked, however short the round
// (a smoke run's tiny workload used to end before the options' answer came back).
import { pathToFileURL } from 'node:url';
import { runChild } from './runChild.mjs';

const ACCEPT_TIMEOUT_MS = 15_000;

/**
 * Runs one benchmark child with the agent connected to a consumer in this process.
 * @param {string} peerBundle bench/.build/peer.mjs (listenForRuntime from runtime/src/protocol/peer.ts)
 * @param {string} cmd
 * @param {string[]} args
 * @param {string} label
 * @param {{ timeline?: boolean, stacks?: 'always' | 'sampled' | 'off' }} options what the consumer asks the agent for
 */
export async function runWithConsumer(peerBundle, cmd, args, label, options) {
  const { listenForRuntime } = await import(pathToFileURL(peerBundle).href);
  const listener = await listenForRuntime();
  const counts = { messages: 0, events: 0, dropped: 0, records: 0 };
  try {
    const child = runChild(cmd, args, { env: listener.env({ stopOnEntry: true }), label });
    const conn = await Promise.race([
      listener.accept(ACCEPT_TIMEOUT_MS),
      child.then((r) => {
        throw new Error(`${label}: the program finished without connecting to the debugger (result ${JSON.stringify(r)})`);
      }),
    ]);
    conn.on('delta', (m) => {
      counts.messages++;
      if (m.events) counts.events += m.events.length;
      if (m.dropped) counts.dropped += m.dropped;
      if (m.tasks) counts.records += m.tasks.length;
    });
    for (const ev of ['snapshot', 'stopped', 'continued', 'loopClosed', 'protocolError']) conn.on(ev, () => counts.messages++);
    const entry = new Promise((resolve, reject) => {
      conn.once('stopped', resolve);
      conn.once('close', () => reject(new Error(`${label}: the program's connection closed before it stopped on entry`)));
    });
    await conn.request('setOptions', options);
    await entry;
    await conn.request('resume', {});
    const result = await child;
    conn.close();
    return { ...result, watched: counts };
  } finally {
    listener.close();
  }
}
