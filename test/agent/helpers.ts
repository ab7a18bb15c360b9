// Helpers for the agent's tests: a real debugger (peer.ts) connected over a real socket to an agent
// session inside this process, a model that applies what it streams, and child programs run by tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { setStartupHook } from '../../runtime/src/run';
import { listenForRuntime, type DebuggerListener, type RuntimeConnection } from '../../runtime/src/protocol/peer';
import { connectToDebugger } from '../../runtime/src/agent/index';
import type { Session } from '../../runtime/src/agent/session';
import type { DeltaMessage, ResourceRecord, SnapshotMessage, StoppedMessage, TaskRecord, AnyMessage } from '../../runtime/src/protocol/wire';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');

/** The 1-based line of the first line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${marker} not found in ${file}`);
  return i + 1;
}

export async function until(cond: () => boolean, ms = 5000, what = 'a condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** What a debugger knows: the snapshot with every delta applied (finished tasks kept). */
export class Model {
  tasks = new Map<number, TaskRecord>();
  resources = new Map<number, ResourceRecord>();
  removed = new Set<number>();
  seq = -1;
  dropped = 0;
  droppedTasks = 0;
  events = 0;
  snapshots = 0;
  deltas = 0;
  /** Sequence gaps seen (must stay empty: TCP loses nothing). */
  gaps: string[] = [];

  snapshot(m: SnapshotMessage): void {
    this.snapshots++;
    this.tasks.clear();
    this.resources.clear();
    for (const t of m.tasks) this.tasks.set(t.id, t);
    for (const r of m.resources) this.resources.set(r.id, r);
    this.seq = m.seq;
  }

  delta(m: DeltaMessage): void {
    this.deltas++;
    if (m.seq !== this.seq + 1) this.gaps.push(`${this.seq} -> ${m.seq}`);
    this.seq = m.seq;
    for (const t of m.tasks) this.tasks.set(t.id, t);
    for (const r of m.resources ?? []) this.resources.set(r.id, r);
    for (const id of m.removed ?? []) this.removed.add(id);
    this.dropped += m.dropped ?? 0;
    this.droppedTasks += m.droppedTasks ?? 0;
    this.events += m.events?.length ?? 0;
  }

  byName(name: string): TaskRecord {
    for (const t of this.tasks.values()) if (t.name === name) return t;
    throw new Error(`no task named ${name} in the model (${[...this.tasks.values()].map((t) => t.name).join(', ')})`);
  }
}

export interface InProcess {
  listener: DebuggerListener;
  conn: RuntimeConnection;
  session: Session;
  model: Model;
  stops: StoppedMessage[];
  log: AnyMessage['type'][];
  nextStop(): Promise<StoppedMessage>;
  cleanup(): void;
}

/**
 * A debugger listening on loopback and this process's agent connected to it (as LOOPSCOPE_CONNECT
 * would do), attached to the next run() through the startup hook.
 */
export async function inProcessDebugger(opts: { stopOnEntry?: boolean } = {}): Promise<InProcess> {
  const listener = await listenForRuntime();
  const sessionP = connectToDebugger({ host: listener.host, port: listener.port, secret: listener.secret });
  const conn = await listener.accept(5000);
  const session = (await sessionP)!;
  const model = new Model();
  const stops: StoppedMessage[] = [];
  const log: AnyMessage['type'][] = [];
  let waiters: ((m: StoppedMessage) => void)[] = [];
  conn.on('snapshot', (m) => (log.push('snapshot'), model.snapshot(m)));
  conn.on('delta', (m) => (log.push('delta'), model.delta(m)));
  conn.on('continued', () => log.push('continued'));
  conn.on('loopClosed', () => log.push('loopClosed'));
  conn.on('stopped', (m) => {
    log.push('stopped');
    stops.push(m);
    const w = waiters;
    waiters = [];
    w.forEach((f) => f(m));
  });
  let startedOnce = false;
  setStartupHook((loop) => {
    if (!startedOnce) {
      startedOnce = true;
      session.start(loop);
      if (opts.stopOnEntry) session.stopOnEntry();
    } else session.loopStarted(loop);
  });
  return {
    listener,
    conn,
    session,
    model,
    stops,
    log,
    nextStop: () => new Promise<StoppedMessage>((r) => waiters.push(r)),
    cleanup() {
      setStartupHook(null);
      session.end();
      conn.close();
      listener.close();
    },
  };
}

/** Runs a program of test/agent/programs through tsx, as a user's `node --import tsx program.ts` would. */
export function runProgram(name: string, env: Record<string, string>, args: string[] = []): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'programs', name), ...args], {
    cwd: root,
    env: { ...process.env, LOOPSCOPE_CONNECT: '', LOOPSCOPE_LISTEN: '', LOOPSCOPE_SECRET: '', LOOPSCOPE_STOP_ON_ENTRY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/**
 * A hand-driven debugger over a raw socket (for what a well-behaved client never does: stop
 * reading, send garbage, vanish), with this process's agent connected to it.
 */
export async function rawDebugger(): Promise<{
  session: Session;
  socket: import('node:net').Socket;
  messages: Record<string, any>[];
  send(line: string | object): void;
  cleanup(): void;
}> {
  const { createServer } = await import('node:net');
  const { PROTOCOL_VERSION } = await import('../../runtime/src/protocol/wire');
  const messages: Record<string, any>[] = [];
  let resolveSocket!: (s: import('node:net').Socket) => void;
  const socketP = new Promise<import('node:net').Socket>((r) => (resolveSocket = r));
  const server = createServer((socket) => {
    let buf = '';
    let greeted = false;
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const msg = JSON.parse(line);
        if (!greeted) {
          greeted = true;
          socket.write(JSON.stringify({ type: 'welcome', protocol: PROTOCOL_VERSION, role: 'debugger', peer: { name: 'raw', version: '0' } }) + '\n');
          resolveSocket(socket);
        } else messages.push(msg);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const session = (await connectToDebugger({ host: '127.0.0.1', port, secret: 'raw-secret' }))!;
  const socket = await socketP;
  // Serving at once (as when a debugger attaches between runs): requests are answered before run().
  session.start(null);
  setStartupHook((loop) => session.loopStarted(loop));
  return {
    session,
    socket,
    messages,
    send(line) {
      socket.write((typeof line === 'string' ? line : JSON.stringify(line)) + '\n');
    },
    cleanup() {
      setStartupHook(null);
      session.end();
      socket.destroy();
      server.close();
    },
  };
}
