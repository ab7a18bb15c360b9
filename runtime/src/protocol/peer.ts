/**
 * The debugger's end of the protocol: listen for a runtime the debugger launches (the runtime
 * connects out, LOOPSCOPE_CONNECT), or attach to a runtime that listens (LOOPSCOPE_LISTEN). Either
 * way the result is a RuntimeConnection: typed events for what the runtime streams, and typed
 * requests for its commands. Used by the debug adapter and the terminal inspector.
 */
import { EventEmitter } from 'node:events';
import { unpackSteps, type PackedSteps } from './packedSteps';
import type { StepEvent } from './wire';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { FramedSocket, ProtocolError } from './framing';
import { awaitHello, sendHello, HANDSHAKE_TIMEOUT_MS } from './handshake';
import { quote } from './quote';
import {
  ENV,
  type CommandMap,
  type CommandName,
  type ContinuedMessage,
  type DeltaMessage,
  type ErrorMessage,
  type LoopClosedMessage,
  type NeverAwaitedMessage,
  type SlowStepMessage,
  type LoopLagMessage,
  type PeerInfo,
  type RequestMessage,
  type SnapshotMessage,
  type StoppedMessage,
} from './wire';
import type { LoopBlockedMessage, LoopUnblockedMessage } from './watchdogWire';

export { ProtocolError, type ProtocolErrorCode } from './framing';

const LOOPBACK = '127.0.0.1';

/** Who this debugger is, for the runtime's logs. */
function debuggerPeer(extra?: Partial<PeerInfo>): PeerInfo {
  return { name: 'loopscope-debugger', version: '0.1.0', pid: process.pid, ...extra };
}

export interface RuntimeConnection {
  /** The runtime's own description (name, version, pid, argv, cwd). */
  readonly peer: PeerInfo;
  on(ev: 'snapshot', fn: (m: SnapshotMessage) => void): this;
  on(ev: 'delta', fn: (m: DeltaMessage) => void): this;
  on(ev: 'stopped', fn: (m: StoppedMessage) => void): this;
  on(ev: 'continued', fn: (m: ContinuedMessage) => void): this;
  on(ev: 'loopClosed', fn: (m: LoopClosedMessage) => void): this;
  /** From the runtime's loop watchdog (its second connection, opened here): the loop is blocked, said again every second while it lasts. */
  on(ev: 'loopBlocked', fn: (m: LoopBlockedMessage) => void): this;
  /** From the watchdog: the loop runs again. */
  on(ev: 'loopUnblocked', fn: (m: LoopUnblockedMessage) => void): this;
  on(ev: 'neverAwaited', fn: (m: NeverAwaitedMessage) => void): this;
  on(ev: 'slowStep', fn: (m: SlowStepMessage) => void): this;
  on(ev: 'loopLag', fn: (m: LoopLagMessage) => void): this;
  /** An `error` the runtime sent, or one this side found in what the runtime sent (malformed, too-large). */
  on(ev: 'protocolError', fn: (m: ErrorMessage) => void): this;
  /** The connection ended (the program exited, or either side closed it). Called once. */
  on(ev: 'close', fn: () => void): this;
  off(ev: string, fn: (...args: any[]) => void): this;
  /** Sends a command; resolves with its response body, rejects with a ProtocolError carrying `.code`. */
  request<C extends CommandName>(command: C, args: CommandMap[C]['args']): Promise<CommandMap[C]['body']>;
  /** Whether the connection is closed. */
  readonly closed: boolean;
  close(): void;
}

interface Pending {
  command: string;
  resolve(body: unknown): void;
  reject(err: ProtocolError): void;
}

const STREAMED = new Set(['snapshot', 'delta', 'stopped', 'continued', 'loopClosed', 'neverAwaited', 'slowStep', 'loopLag']);

class Connection extends EventEmitter implements RuntimeConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private started = false;
  private ended = false;
  /** The connection to the runtime's loop watchdog, once it said where it listens. */
  private watchdog: FramedSocket | null = null;

  constructor(
    private readonly framed: FramedSocket,
    readonly peer: PeerInfo,
    /** The session's secret, which the watchdog's connection presents too. */
    private readonly secret: string,
  ) {
    super();
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Begins delivering messages on the next macrotask, so that whoever received the connection can attach listeners first. */
  _startSoon(): void {
    if (this.started) return;
    this.started = true;
    setImmediate(() =>
      this.framed.start({
        message: (msg) => this.onMessage(msg),
        frameError: (err) => {
          this.emit('protocolError', err.toMessage());
          // The runtime sent something unreadable: tell it too (a too-large frame already closed the connection).
          if (err.code === 'malformed') this.framed.send(err.toMessage());
        },
        close: () => this.onClose(),
      }),
    );
  }

  request<C extends CommandName>(command: C, args: CommandMap[C]['args']): Promise<CommandMap[C]['body']> {
    if (this.ended) return Promise.reject(new ProtocolError('closed', `cannot send '${command}': the connection to the runtime is closed`));
    const id = this.nextId++;
    const msg: RequestMessage<C> = { type: 'request', id, command, args: args ?? ({} as CommandMap[C]['args']) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (b: unknown) => void, reject });
      this.framed.send(msg);
    });
  }

  close(): void {
    this.framed.end();
    this.watchdog?.destroy();
  }

  /**
   * The runtime's watchdog listens on `port`: connect and present the secret. Its messages arrive
   * while the runtime's main thread cannot send anything (a task blocks the loop).
   */
  private connectWatchdog(port: unknown): void {
    if (this.watchdog !== null || this.ended) return;
    if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port > 65535) {
      this.emit('protocolError', { type: 'error', code: 'malformed', message: `a watchdog message with port ${quote(port)}` } satisfies ErrorMessage);
      return;
    }
    // The watchdog listens on 127.0.0.1 in every case (a runtime attached to through a tunnel: not reachable).
    const socket = connect({ host: LOOPBACK, port });
    const framed = new FramedSocket(socket);
    this.watchdog = framed;
    socket.on('error', () => {});
    socket.once('connect', () => {
      sendHello(framed, { role: 'debugger', secret: this.secret, peer: debuggerPeer() }).then(
        () => {
          if (this.ended) {
            framed.destroy();
            return;
          }
          framed.start({
            message: (m) => {
              if (m.type === 'loopBlocked' || m.type === 'loopUnblocked') this.emit(m.type, m);
            },
            frameError: () => {},
            close: () => {},
          });
        },
        (err: ProtocolError) => this.emit('protocolError', { type: 'error', code: err.code, message: `the runtime's loop watchdog: ${err.message}` } as ErrorMessage),
      );
    });
  }

  private onMessage(msg: Record<string, unknown>): void {
    const type = msg.type;
    if (type === 'watchdog') {
      this.connectWatchdog(msg.port);
      return;
    }
    if (type === 'delta' && msg.steps !== undefined) unpackInto(msg);
    if (type === 'response') {
      const id = msg.id as number;
      const p = this.pending.get(id);
      if (!p) {
        this.emit('protocolError', { type: 'error', code: 'malformed', message: `a response to unknown request id ${quote(id)}` } satisfies ErrorMessage);
        return;
      }
      this.pending.delete(id);
      if (msg.ok === true) p.resolve(msg.body ?? {});
      else {
        const e = (msg.error ?? {}) as { code?: string; message?: string };
        const text = e.message ?? 'the runtime refused the request';
        // Name the command, unless the runtime's message already does.
        p.reject(new ProtocolError((e.code ?? 'internal') as ProtocolError['code'], text.startsWith(`${p.command}:`) ? text : `${p.command}: ${text}`));
      }
      return;
    }
    if (type === 'error') {
      this.emit('protocolError', msg as unknown as ErrorMessage);
      return;
    }
    if (typeof type === 'string' && STREAMED.has(type)) {
      this.emit(type, msg);
      return;
    }
    const err = new ProtocolError('malformed', `unknown message type ${quote(type)} from the runtime`);
    this.emit('protocolError', err.toMessage());
    this.framed.send(err.toMessage());
  }

  private onClose(): void {
    if (this.ended) return;
    this.ended = true;
    this.watchdog?.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new ProtocolError('closed', `${p.command}: the connection to the runtime closed before it answered`));
    this.emit('close');
  }
}

// ---------------------------------------------------------------- launch: the runtime connects to us

export interface DebuggerListener {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  /** Environment for the program to launch: LOOPSCOPE_CONNECT, LOOPSCOPE_SECRET, LOOPSCOPE_STOP_ON_ENTRY. */
  env(extra?: { stopOnEntry?: boolean }): Record<string, string>;
  /** The next runtime that completed the handshake. Rejects with `timeout` (after timeoutMs) or `closed`. */
  accept(timeoutMs?: number): Promise<RuntimeConnection>;
  /** Stops listening; pending accept() calls reject with `closed`. Accepted connections stay open. */
  close(): void;
}

export interface ListenOptions {
  /** 0 (default): any free port. */
  port?: number;
  /** Default: 32 random bytes, hex. */
  secret?: string;
  peer?: Partial<PeerInfo>;
  /** How long a connection may take to send its hello. */
  handshakeTimeoutMs?: number;
  /** Told about each connection refused (wrong secret, version mismatch, malformed hello). The listener keeps listening. */
  onRejected?: (err: ProtocolError) => void;
}

class Listener implements DebuggerListener {
  private readonly ready: Connection[] = [];
  private readonly waiting: { resolve(c: Connection): void; reject(e: ProtocolError): void; timer?: ReturnType<typeof setTimeout> }[] = [];
  private closedFlag = false;
  private lastRefusal: ProtocolError | null = null;
  private refusals = 0;

  constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    readonly secret: string,
    private readonly opts: ListenOptions,
  ) {
    server.on('connection', (socket) => this.onConnection(socket));
  }

  env(extra?: { stopOnEntry?: boolean }): Record<string, string> {
    return {
      [ENV.connect]: `${this.host}:${this.port}`,
      [ENV.secret]: this.secret,
      [ENV.stopOnEntry]: extra?.stopOnEntry ? '1' : '0',
    };
  }

  accept(timeoutMs?: number): Promise<RuntimeConnection> {
    const c = this.ready.shift();
    if (c) {
      c._startSoon();
      return Promise.resolve(c);
    }
    if (this.closedFlag) return Promise.reject(new ProtocolError('closed', 'accept(): the listener is closed'));
    return new Promise<RuntimeConnection>((resolve, reject) => {
      const w: (typeof this.waiting)[number] = {
        resolve: (conn) => {
          conn._startSoon();
          resolve(conn);
        },
        reject,
      };
      if (timeoutMs !== undefined && timeoutMs >= 0 && Number.isFinite(timeoutMs)) {
        w.timer = setTimeout(() => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          let text = `no Loopscope runtime connected to ${this.host}:${this.port} within ${timeoutMs} ms: check that the program was started with this listener's env() and calls run() from the loopscope runtime`;
          if (this.lastRefusal) text += `; ${this.refusals} connection(s) were refused, the last because: ${this.lastRefusal.message}`;
          reject(new ProtocolError('timeout', text));
        }, timeoutMs);
      }
      this.waiting.push(w);
    });
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.server.close();
    for (const w of this.waiting.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(new ProtocolError('closed', 'accept(): the listener was closed while waiting for a runtime'));
    }
    // Connections accepted by the handshake that nobody took: nobody will.
    for (const c of this.ready.splice(0)) c.close();
  }

  private onConnection(socket: Socket): void {
    if (this.closedFlag) {
      socket.destroy();
      return;
    }
    const framed = new FramedSocket(socket);
    awaitHello(framed, { role: 'debugger', secret: this.secret, peer: debuggerPeer(this.opts.peer), timeoutMs: this.opts.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS }).then(
      (hello) => {
        const conn = new Connection(framed, hello.peer, this.secret);
        if (this.closedFlag) {
          conn.close();
          return;
        }
        const w = this.waiting.shift();
        if (w) {
          if (w.timer) clearTimeout(w.timer);
          w.resolve(conn);
        } else this.ready.push(conn);
      },
      (err: ProtocolError) => {
        this.refusals++;
        this.lastRefusal = err;
        this.opts.onRejected?.(err);
      },
    );
  }
}

/** Listens on 127.0.0.1 for the runtime of a program this debugger launches. */
export function listenForRuntime(opts: ListenOptions = {}): Promise<DebuggerListener> {
  const secret = opts.secret ?? randomBytes(32).toString('hex');
  if (typeof secret !== 'string' || secret.length === 0) return Promise.reject(new ProtocolError('bad-arguments', 'listenForRuntime(): the secret must be a non-empty string'));
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return Promise.reject(new ProtocolError('bad-arguments', `listenForRuntime(): port must be an integer 0..65535, got ${String(port)}`));
  return new Promise((resolve, reject) => {
    const server = createServer();
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new ProtocolError('connect-failed', `cannot listen on ${LOOPBACK}:${port} (${err.code ?? err.message})${err.code === 'EADDRINUSE' ? ': the port is taken, choose another or use 0 for any free port' : ''}`));
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      // A failing listener after start-up is reported by accept() timing out; never an uncaught exception.
      server.on('error', () => {});
      const addr = server.address();
      const actual = typeof addr === 'object' && addr !== null ? addr.port : port;
      resolve(new Listener(server, LOOPBACK, actual, secret, opts));
    });
  });
}

// ---------------------------------------------------------------- attach: we connect to a listening runtime

export interface AttachOptions {
  host: string;
  port: number;
  secret: string;
  /** For connecting and the handshake together (default 10 s). */
  timeoutMs?: number;
  peer?: Partial<PeerInfo>;
  /**
   * Connect to an address that is not loopback. Off by default: the secret and every message cross
   * the network in clear text; an SSH tunnel (`ssh -L`) to the program's machine is the safe way.
   */
  allowRemote?: boolean;
}

/** Whether `address` (as a socket reports it) is this machine's loopback: 127.0.0.0/8, ::1, or IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Connects to a runtime started with LOOPSCOPE_LISTEN, presents the secret, and resolves once it welcomed us. */
export function attachToRuntime(opts: AttachOptions): Promise<RuntimeConnection> {
  const { host, port, secret } = opts;
  if (typeof host !== 'string' || host === '') return Promise.reject(new ProtocolError('bad-arguments', 'attachToRuntime(): host must be a non-empty string, e.g. "127.0.0.1"'));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return Promise.reject(new ProtocolError('bad-arguments', `attachToRuntime(): port must be an integer 1..65535, got ${String(port)}`));
  if (typeof secret !== 'string' || secret === '') return Promise.reject(new ProtocolError('bad-arguments', 'attachToRuntime(): the secret is required (the LOOPSCOPE_SECRET the program was started with)'));
  const timeoutMs = opts.timeoutMs ?? HANDSHAKE_TIMEOUT_MS;
  const started = Date.now();
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProtocolError('timeout', `could not connect to the Loopscope runtime at ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Checked on the address connected to (a host name may resolve anywhere), before a byte is sent.
      if (opts.allowRemote !== true && !isLoopbackAddress(socket.remoteAddress)) {
        socket.on('error', () => {});
        socket.destroy();
        reject(
          new ProtocolError(
            'bad-arguments',
            `refusing to attach to ${host}:${port} (${socket.remoteAddress ?? 'unknown address'}): it is not a loopback address, and the session's secret and messages would cross the network unencrypted. Forward the port over SSH (ssh -L ${port}:127.0.0.1:${port} <host>) and attach to 127.0.0.1, or set allowRemote: true to connect anyway`,
          ),
        );
        return;
      }
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint = err.code === 'ECONNREFUSED' ? `: nothing listens there; start the program with ${ENV.listen}=${host}:${port} and ${ENV.secret}` : '';
      reject(new ProtocolError('connect-failed', `could not connect to the Loopscope runtime at ${host}:${port} (${err.code ?? err.message})${hint}`));
    });
  }).then(async (socket) => {
    const framed = new FramedSocket(socket);
    const welcome = await sendHello(framed, { role: 'debugger', secret, peer: debuggerPeer(opts.peer), timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)) });
    const conn = new Connection(framed, welcome.peer, secret);
    conn._startSoon();
    return conn;
  });
}

/** A delta's packed timeline events (`steps`) as the `events` consumers read; a bad packing is dropped and counted. */
function unpackInto(msg: Record<string, unknown>): void {
  const packed = msg.steps as PackedSteps;
  const events = unpackSteps(packed);
  delete msg.steps;
  if (events === null) {
    msg.dropped = ((msg.dropped as number) || 0) + (Number.isInteger(packed?.n) ? packed.n : 0);
    return;
  }
  msg.events = Array.isArray(msg.events) ? (msg.events as StepEvent[]).concat(events) : events;
}
