/**
 * The loop watchdog's worker thread, as source text: it runs with `new Worker(source, { eval: true })`
 * so that it needs no file of its own (the runtime ships as one bundle, ESM or CommonJS, or runs
 * from its TypeScript sources under tsx) and loads nothing but Node's modules. It must stay plain
 * JavaScript that any Node 20 runs as written; nothing here may refer to the runtime's modules.
 *
 * What it does: listens on loopback for debuggers (the main thread tells its debugger the port in a
 * `watchdog` message); checks each one's hello like the runtime does (protocol version, role,
 * session secret compared in constant time); then every POLL ms reads the shared memory
 * (watchdogShared.ts). When the main thread's heartbeat is older than the threshold, the loop is
 * blocked: it sends `loopBlocked` naming the task step that holds it, again every `repeatMs`, and
 * `loopUnblocked` once the heartbeat comes back. The main thread cannot send any of this itself: it
 * is the one that is blocked.
 */
import { HEADER_BYTES, INT_SLOTS, BEAT_BYTE_OFFSET, POS_MASK, RING_UNITS, SLOT } from './watchdogShared';
import { PROTOCOL_VERSION } from '../protocol/wire';

/** Data the worker starts with (workerData). */
export interface WatchdogWorkerData {
  buffer: SharedArrayBuffer;
  secret: string;
  thresholdMs: number;
  repeatMs: number;
  pollMs: number;
  /** Names of tasks that already ran before the watchdog started: [id, name] pairs. */
  names: [number, string][];
  /** Await-site tables registered so far, as the sites registry keeps them: [base, file, packed JSON, ...]. */
  sites: (number | string)[];
  peer: { name: string; version: string; pid: number };
}

export const WATCHDOG_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { timingSafeEqual } = require('node:crypto');
const PROTOCOL = ${PROTOCOL_VERSION};
const TASK = ${SLOT.TASK}, STEPS = ${SLOT.STEPS}, SITE = ${SLOT.SITE}, HELD = ${SLOT.HELD}, NAME_END = ${SLOT.NAME_END};
const POS_MASK = ${POS_MASK}, RING_UNITS = ${RING_UNITS}, RING_MASK = RING_UNITS - 1;
const HELLO_MAX_BYTES = 64 * 1024, HELLO_TIMEOUT_MS = 5000, MAX_CLIENTS = 4, MAX_NAMES = 100000;
const d = workerData;
const ints = new Int32Array(d.buffer, 0, ${INT_SLOTS});
const beat = new Float64Array(d.buffer, ${BEAT_BYTE_OFFSET}, 1);
const ring = new Uint16Array(d.buffer, ${HEADER_BYTES}, RING_UNITS);
const now = () => performance.timeOrigin + performance.now();

// ---- task names: the ones given at start, then the ring the main thread writes at first steps
const names = new Map(d.names);
let nameRead = Atomics.load(ints, NAME_END);
function keepName(id, name) {
  names.delete(id);
  names.set(id, name);
  if (names.size > MAX_NAMES) names.delete(names.keys().next().value);
}
function readNames() {
  const end = Atomics.load(ints, NAME_END);
  let avail = (end - nameRead) & POS_MASK;
  while (avail >= 3) {
    if (avail > RING_UNITS) { nameRead = end; return; } // the writer lapped us: those names are lost
    const r = nameRead;
    const id = ring[r & RING_MASK] + ring[(r + 1) & RING_MASK] * 65536;
    const n = ring[(r + 2) & RING_MASK];
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(ring[(r + 3 + i) & RING_MASK]);
    // Kept only if the writer did not overwrite the entry while it was read.
    if (((Atomics.load(ints, NAME_END) - r) & POS_MASK) <= RING_UNITS) keepName(id, s);
    nameRead = (r + 3 + n) & POS_MASK;
    avail -= 3 + n;
  }
}

// ---- await sites: the same tables as runtime/src/sites/registry.ts, sent by the main thread
const blocks = [];
function addSites(q) {
  for (let i = 0; i + 2 < q.length; i += 3) {
    try {
      const p = JSON.parse(q[i + 2]);
      blocks.push({ base: q[i], count: p.sites.length / 5, files: p.files, names: p.names, data: p.sites });
    } catch {}
  }
  blocks.sort((a, b) => a.base - b.base);
}
function siteAt(id) {
  if (id < 0) return undefined;
  let lo = 0, hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, b = blocks[mid];
    if (id < b.base) hi = mid - 1;
    else if (id >= b.base + b.count) lo = mid + 1;
    else {
      const i = (id - b.base) * 5, x = b.data;
      return { file: b.files[x[i]], line: x[i + 1], column: x[i + 2], function: b.names[x[i + 3]] || '' };
    }
  }
  return undefined;
}
addSites(d.sites);
parentPort.on('message', (m) => { if (m && Array.isArray(m.sites)) addSites(m.sites); });

// ---- debuggers
const clients = new Set();
function secretsEqual(a, b) {
  const x = Buffer.from(String(a), 'utf8'), y = Buffer.from(d.secret, 'utf8');
  if (x.length !== y.length) { timingSafeEqual(y, y); return false; }
  return timingSafeEqual(x, y);
}
function refuse(socket, code, message) {
  socket.end(JSON.stringify({ type: 'error', code, message }) + '\\n');
}
const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.setNoDelay(true);
  let buf = '';
  let greeted = false;
  const timer = setTimeout(() => refuse(socket, 'timeout', 'no hello within ' + HELLO_TIMEOUT_MS + ' ms of connecting'), HELLO_TIMEOUT_MS);
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    if (greeted) return; // a debugger has nothing to say to the watchdog after its hello
    buf += chunk;
    const nl = buf.indexOf('\\n');
    if (nl < 0) {
      if (buf.length > HELLO_MAX_BYTES) { clearTimeout(timer); refuse(socket, 'too-large', 'a hello longer than ' + HELLO_MAX_BYTES + ' bytes'); }
      return;
    }
    clearTimeout(timer);
    greeted = true;
    let hello;
    try { hello = JSON.parse(buf.slice(0, nl)); } catch { return refuse(socket, 'malformed', 'the first message must be a JSON hello'); }
    buf = '';
    if (!hello || hello.type !== 'hello') return refuse(socket, 'malformed', 'the first message must be a hello');
    if (hello.protocol !== PROTOCOL) return refuse(socket, 'version-mismatch', 'protocol version ' + JSON.stringify(hello.protocol) + ' is not supported; this runtime speaks ' + PROTOCOL + ': update the older side');
    if (hello.role !== 'debugger') return refuse(socket, 'malformed', 'a hello with role ' + JSON.stringify(hello.role) + ' reached a runtime; expected role "debugger"');
    if (typeof hello.secret !== 'string' || !secretsEqual(hello.secret)) return refuse(socket, 'bad-secret', 'wrong session secret: connect with the secret this session was started with (LOOPSCOPE_SECRET)');
    socket.write(JSON.stringify({ type: 'welcome', protocol: PROTOCOL, role: 'runtime', peer: d.peer }) + '\\n');
    if (clients.size >= MAX_CLIENTS) { const oldest = clients.values().next().value; clients.delete(oldest); oldest.destroy(); }
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    // A debugger that connects during a block hears about it at once.
    if (blocked !== null) sendTo(socket, blockedMessage(now()));
  });
  socket.on('close', () => clearTimeout(timer));
});
server.on('error', (err) => parentPort.postMessage({ error: err.code || err.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));

function sendTo(socket, msg) {
  // A debugger that stops reading loses these messages rather than growing this thread's memory.
  if (socket.writableLength < 1024 * 1024) socket.write(JSON.stringify(msg) + '\\n');
}
function broadcast(msg) { for (const c of clients) sendTo(c, msg); }

// ---- watching
let curTask = 0, curSteps = 0, stepSince = now(), lastPoll = now();
/** The block being reported: when it began, the step holding it, when it was last said. */
let blocked = null;
function about(msg, b) {
  if (b.task !== 0) {
    msg.taskId = b.task;
    msg.taskName = names.get(b.task) ?? 'Task-' + b.task;
    msg.steps = b.steps;
    const at = siteAt(b.site);
    if (at) msg.location = at;
  }
  return msg;
}
function blockedMessage(t) {
  return about({ type: 'loopBlocked', blockedMs: Math.round(t - blocked.start), thresholdMs: d.thresholdMs }, blocked);
}
function poll() {
  const t = now();
  readNames();
  const task = ints[TASK], steps = ints[STEPS];
  // A new step began since the last poll: the loop was not blocked in it before then.
  const newStep = task !== curTask || steps !== curSteps;
  if (newStep) { curTask = task; curSteps = steps; stepSince = lastPoll; }
  lastPoll = t;
  const lastBeat = beat[0];
  const held = Atomics.load(ints, HELD) !== 0;
  // The loop went on since the block began (a heartbeat came, or another step runs: this thread may
  // have been kept from polling meanwhile, on a busy machine): that block is over.
  if (blocked !== null && (held || t - lastBeat < d.thresholdMs || newStep)) {
    const end = newStep ? Math.max(stepSince, blocked.start) : Math.max(lastBeat, blocked.start);
    broadcast(about({ type: 'loopUnblocked', blockedMs: Math.round(end - blocked.start) }, blocked));
    blocked = null;
  }
  if (held) return;
  // Blocked since the later of the last heartbeat and the start of the step (or of the time between
  // steps) the main thread is in now.
  const start = Math.max(lastBeat, stepSince);
  if (blocked === null) {
    if (t - start < d.thresholdMs) return;
    blocked = { start, task, steps, site: ints[SITE], said: t };
    broadcast(blockedMessage(t));
    return;
  }
  if (t - blocked.said >= d.repeatMs) {
    blocked.said = t;
    broadcast(blockedMessage(t));
  }
}
setInterval(poll, d.pollMs);
`;
