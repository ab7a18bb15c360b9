// A stand-in for a Loopscope program that produces timeline events faster than any real one: it
// speaks the runtime's side of the protocol (bench/.build/protocol.mjs, bundled from
// runtime/src/protocol) to the debugger that launched it, answers its requests, sends a snapshot of
// `tasks` suspended tasks, then `deltas` deltas of `events` step events and `records` changed task
// records each, as fast as the socket drains, and exits. Measures what the adapter can ingest.
// `node bench/fakeRuntime.mjs '{"tasks":1000,"deltas":200,"events":10000,"records":100}'` with
// LOOPSCOPE_CONNECT and LOOPSCOPE_SECRET set (by the adapter's launch).
import { connect } from 'node:net';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { FramedSocket, sendHello, ENV, EventKind } = await import(pathToFileURL(join(here, '.build/protocol.mjs')).href);

const o = JSON.parse(process.argv[2] ?? 'null');
for (const k of ['tasks', 'deltas', 'events', 'records']) {
  if (!Number.isInteger(o?.[k]) || o[k] < 1) throw new Error(`fakeRuntime: ${k} must be a positive integer (got ${o?.[k]})`);
}
const address = process.env[ENV.connect];
const secret = process.env[ENV.secret];
if (!address || !secret) throw new Error(`fakeRuntime: run me from a debugger (${ENV.connect} and ${ENV.secret} are not set)`);
const [host, port] = address.split(':');

const socket = connect({ host, port: Number(port) });
await once(socket, 'connect');
const framed = new FramedSocket(socket);
await sendHello(framed, { role: 'runtime', secret, peer: { name: 'loopscope-bench-fake', version: '0.1.0', pid: process.pid } });

let configured;
const configuredP = new Promise((r) => (configured = r));
framed.start({
  message(msg) {
    if (msg.type !== 'request') return;
    let body = {};
    if (msg.command === 'setBreakpoints') body = { breakpoints: [] };
    else if (msg.command === 'setOptions') body = msg.args;
    else if (msg.command === 'pause') body = { paused: false };
    framed.send({ type: 'response', id: msg.id, ok: true, body });
    // The adapter's last configuration request: from here on it forwards what it gets.
    if (msg.command === 'setLifecycleBreakpoints') configured();
  },
  frameError(err) {
    process.stderr.write(`fakeRuntime: ${err.message}\n`);
  },
  close() {},
});

const file = join(here, 'workloads', 'loopscope.mjs');
function record(id, time) {
  return {
    id,
    name: `worker-${id}`,
    state: 'suspended',
    parentId: 1,
    createdAt: { file, line: 40, column: 30, function: 'switch' },
    location: { file, line: 12, column: 14, function: 'switcher' },
    awaiting: { kind: 'sleep', deadline: time + 10, delay: 10 },
    since: time,
    steps: 3,
    cancelling: 0,
  };
}

let seq = 0;
const time = () => performance.now();
framed.send({ type: 'snapshot', seq: ++seq, time: time(), loop: { id: 1, clock: 'real', paused: false }, tasks: Array.from({ length: o.tasks }, (_, i) => record(i + 1, 0)), resources: [] });
await configuredP;

// The body of every delta is the same text, only seq and time change: serializing is not what is measured.
const events = [];
for (let i = 0; i < o.events; i++) events.push([i % 2 ? EventKind.suspended : EventKind.resumed, (i % o.tasks) + 1, Math.round(i / 10) / 100]);
const records = Array.from({ length: o.records }, (_, i) => record((i % o.tasks) + 1, 1));
const rest = JSON.stringify({ tasks: records, events }).slice(1);
for (let d = 0; d < o.deltas; d++) {
  if (!socket.write(`{"type":"delta","seq":${++seq},"time":${time()},${rest}\n`)) await once(socket, 'drain');
}
framed.send({ type: 'loopClosed', loopId: 1, outcome: 'done' });
process.stdout.write(JSON.stringify({ sentEvents: o.deltas * o.events, sentBytes: o.deltas * rest.length }) + '\n');
socket.end();
