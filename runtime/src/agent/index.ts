/**
 * The debug agent: loaded by run() only when the environment asks for a debugger (see run.ts), once
 * per process. In connect mode (LOOPSCOPE_CONNECT) it connects out to the debugger that launched
 * the program and waits for the handshake before the first task step; in listen mode
 * (LOOPSCOPE_LISTEN) it listens on loopback for a debugger to attach, at any time. Either way a
 * debugger that cannot be reached costs the program one line on stderr and nothing else.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { EventLoop } from '../loop';
import { getRunningLoopOrNull } from '../running';
import { FramedSocket, ProtocolError } from '../protocol/framing';
import { awaitHello, sendHello } from '../protocol/handshake';
import { ENV, type PeerInfo } from '../protocol/wire';
import { readAgentConfig, scrubAgentEnv, type AgentConfig } from './env';
import { Session } from './session';
import { installSourceMapping } from './sourceMaps';
import { watchLoopFor } from './watchdog';

/** How long run() waits to reach the debugger before going on without it. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * Listen mode: connections that have not yet sent their hello, at most (more are closed at once),
 * the longest line read from one (a debugger's hello is a few hundred bytes), and how long one may
 * take. Whoever connects before proving the secret costs the program a bounded amount of memory.
 */
export const MAX_PENDING_HANDSHAKES = 4;
export const LISTEN_HELLO_MAX_BYTES = 64 * 1024;
const LISTEN_HELLO_TIMEOUT_MS = 5000;
const RUNTIME_VERSION = '0.1.0';
/** How long a launched program waits at most for the blocked-loop watchdog's worker to listen. */
const WATCHDOG_START_MS = 2000;

function runtimePeer(): PeerInfo {
  return { name: 'loopscope-ts', version: RUNTIME_VERSION, pid: process.pid, argv: process.argv.slice(), cwd: process.cwd() };
}

function warn(text: string): void {
  process.stderr.write(`loopscope: ${text}\n`);
}

/** The agent's process-wide state (on globalThis: an ESM and a CJS copy of the runtime share one agent). */
interface AgentState {
  config: AgentConfig | null;
  /** Connect mode: the handshake in progress or done (null: gave up). */
  connecting: Promise<Session | null> | null;
  /** Listen mode: the server, and a promise for the first debugger (stop on entry waits for it). */
  server: Server | null;
  listening: Promise<void> | null;
  firstDebugger: Promise<void> | null;
  session: Session | null;
  entryDone: boolean;
  loops: number;
  /** Listen mode: the attached debugger has been told where the blocked-loop watchdog listens. */
  watchReady: Promise<void> | null;
}

const KEY = Symbol.for('loopscope.agent');
function state(): AgentState {
  const g = globalThis as { [KEY]?: AgentState };
  let s = g[KEY];
  if (!s) {
    let config: AgentConfig | null = null;
    try {
      config = readAgentConfig(process.env);
    } catch (err) {
      warn(`${(err as Error).message}; running without the debugger`);
    }
    // Child processes must not inherit this session's address and secret.
    scrubAgentEnv(process.env);
    if (config !== null) installSourceMapping();
    else if (!process.env[ENV.connect] && !process.env[ENV.listen]) {
      // Nothing asked for: cache that, and leave the environment as it was.
    }
    s = g[KEY] = { config, connecting: null, server: null, listening: null, firstDebugger: null, session: null, entryDone: false, loops: 0, watchReady: null };
  }
  return s;
}

/**
 * Whether the environment asks for a debugger (decided once per process). run() imports the agent
 * statically and asks this first: a dynamic import could load a second copy of the runtime's
 * modules (tsx loads a CommonJS-transpiled copy for require and an ESM one for import), whose
 * hooks and classes the program's loop would never see. Without a debugger nothing is installed.
 */
export function debuggerRequested(): boolean {
  return state().config !== null;
}

/** run()'s startup hook: the agent's part of starting a loop (before its main task exists). */
export async function agentStartup(loop: EventLoop): Promise<void> {
  const s = state();
  const config = s.config;
  if (config === null) return;
  s.loops++;
  if (config.mode === 'connect') {
    s.connecting ??= connectToDebugger(config, { watchdog: true }).then((session) => {
      if (session !== null) {
        s.session = session;
        session.onClose = () => {
          if (s.session === session) s.session = null;
        };
      }
      return session;
    });
    const session = await s.connecting;
    if (session === null || session.isClosed) return;
    if (session.isStarted) session.loopStarted(loop);
    else session.start(loop);
  } else {
    s.listening ??= listen(s, config);
    await s.listening;
    if (config.stopOnEntry && !s.entryDone) {
      await s.firstDebugger;
      // As in connect mode: the watchdog's port reaches the debugger before the first step.
      if (s.watchReady !== null) await watchdogStarted(s.watchReady);
    }
    const session = s.session;
    if (session !== null && !session.isClosed) {
      if (session.isStarted) session.loopStarted(loop);
      else session.start(loop);
    }
  }
  if (config.stopOnEntry && !s.entryDone && s.session !== null && !s.session.isClosed) {
    s.entryDone = true;
    s.session.stopOnEntry();
  }
}

/**
 * Connect mode: reach the debugger, present the secret. Resolves with a session not yet started,
 * or null (after one line on stderr) if the debugger cannot be reached or refuses.
 */
export async function connectToDebugger(config: Pick<AgentConfig, 'host' | 'port' | 'secret'>, opts: { watchdog?: boolean } = {}): Promise<Session | null> {
  const where = `${config.host}:${config.port}`;
  let socket: Socket;
  try {
    socket = await new Promise<Socket>((resolve, reject) => {
      const sock = connect({ host: config.host, port: config.port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new ProtocolError('timeout', `no answer within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      timer.unref();
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new ProtocolError('connect-failed', err.code ?? err.message));
      });
    });
  } catch (err) {
    warn(`cannot reach the debugger at ${where} (${(err as Error).message}); running without it`);
    return null;
  }
  const framed = new FramedSocket(socket);
  try {
    await sendHello(framed, { role: 'runtime', secret: config.secret!, peer: runtimePeer(), timeoutMs: CONNECT_TIMEOUT_MS });
  } catch (err) {
    warn(`the debugger at ${where} refused this program (${(err as Error).message}); running without it`);
    return null;
  }
  if (opts.watchdog) {
    // The blocked-loop watchdog (watchdog.ts) lives while this connection does. Its port goes to the
    // debugger before the program's first step: a task blocking the loop at once would hold it back.
    const watch = watchLoopFor(framed, config.secret!);
    framed.socket.once('close', watch.release);
    await watchdogStarted(watch.ready);
  }
  return new Session(framed);
}

/** Waits for the watchdog to be announced, but not for ever. */
function watchdogStarted(ready: Promise<void>): Promise<void> {
  return Promise.race([ready, new Promise<void>((r) => setTimeout(r, WATCHDOG_START_MS).unref())]);
}

/** Listen mode: a loopback server that accepts one debugger at a time. */
function listen(s: AgentState, config: AgentConfig): Promise<void> {
  let secret = config.secret;
  if (secret === null) {
    secret = randomBytes(32).toString('hex');
    warn(`${ENV.listen} without ${ENV.secret}: this session's secret is ${secret}`);
  }
  const theSecret = secret;
  let firstResolve: (() => void) | null = null;
  s.firstDebugger = new Promise<void>((r) => (firstResolve = r));
  // Connections waiting for their hello, oldest first. Past the bound the oldest is closed: a real
  // debugger sends its hello at once, so idle connections can neither lock it out nor pile up.
  const pending = new Set<FramedSocket>();
  const evicted = new WeakSet<FramedSocket>();
  let warnedBusy = false;
  return new Promise<void>((resolve) => {
    const server = createServer((socket) => {
      if (pending.size >= MAX_PENDING_HANDSHAKES) {
        const oldest = pending.values().next().value!;
        pending.delete(oldest);
        evicted.add(oldest);
        oldest.destroy();
        if (!warnedBusy) warn(`more than ${MAX_PENDING_HANDSHAKES} connections without a hello at once; closing the oldest ones`);
        warnedBusy = true;
      }
      // A connection that has not presented the secret must not keep a finished program alive.
      socket.unref();
      const framed = new FramedSocket(socket);
      pending.add(framed);
      const done = () => {
        pending.delete(framed);
        if (pending.size === 0) warnedBusy = false;
      };
      awaitHello(framed, { role: 'runtime', secret: theSecret, peer: runtimePeer(), maxFrameBytes: LISTEN_HELLO_MAX_BYTES, timeoutMs: LISTEN_HELLO_TIMEOUT_MS }).then(
        () => {
          done();
          if (s.session !== null && !s.session.isClosed) {
            framed.end(new ProtocolError('not-ready', 'another debugger is already attached to this program').toMessage());
            return;
          }
          // (Unless the program waits for this debugger on entry, a task blocking the loop within the
          // watchdog's start, tens of ms, holds its port back until it yields.)
          const watch = watchLoopFor(framed, theSecret);
          framed.socket.once('close', watch.release);
          s.watchReady = watch.ready;
          const session = new Session(framed);
          s.session = session;
          session.onClose = () => {
            if (s.session === session) s.session = null;
          };
          const waitingForEntry = config.stopOnEntry && !s.entryDone;
          if (!waitingForEntry) session.start(getRunningLoopOrNull());
          // (On entry, agentStartup starts the session with the loop about to run.)
          server.unref();
          firstResolve?.();
          firstResolve = null;
        },
        (err: ProtocolError) => {
          done();
          if (!evicted.has(framed)) warn(`refused a debugger connection: ${err.message}`);
        },
      );
    });
    server.on('error', (err: NodeJS.ErrnoException) => {
      warn(`cannot listen for a debugger on ${config.host}:${config.port} (${err.code ?? err.message}); running without it`);
      s.firstDebugger = Promise.resolve();
      s.entryDone = true;
      firstResolve?.();
      resolve();
    });
    server.listen(config.port, config.host, () => {
      s.server = server;
      const addr = server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
      if (config.stopOnEntry) warn(`waiting for a debugger to attach on ${config.host}:${port}`);
      else {
        warn(`a debugger can attach on ${config.host}:${port}`);
        // Only a program stopped on entry waits for the debugger; otherwise the server keeps nothing alive.
        server.unref();
      }
      resolve();
    });
  });
}
