/**
 * The protocol's handshake, for either role. The side that opened the connection sends `hello`
 * (its version, its role and the session secret); the side that accepted answers `welcome`, or an
 * `error` (version-mismatch, bad-secret, malformed) and closes. Shared by the runtime's agent and
 * the debugger's peer so that both ends enforce exactly the same rules.
 */
import { timingSafeEqual } from 'node:crypto';
import { FramedSocket, ProtocolError } from './framing';
import { quote } from './quote';
import { PROTOCOL_VERSION, type HelloMessage, type PeerInfo, type WelcomeMessage } from './wire';

export type Role = 'runtime' | 'debugger';

/** How long a side waits for the other's first message before giving up. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * The longest line read before the handshake is done. A hello or welcome is small (a runtime's
 * carries its argv and cwd); a peer that has not proven it knows the secret must not make this side
 * buffer up to the session's frame limit (16 MiB per connection).
 */
export const HANDSHAKE_MAX_FRAME_BYTES = 1024 * 1024;

export interface HandshakeOptions {
  /** This side's role. */
  role: Role;
  secret: string;
  peer: PeerInfo;
  timeoutMs?: number;
  /** The longest line accepted during the handshake (default HANDSHAKE_MAX_FRAME_BYTES); the session's limit is restored after it. */
  maxFrameBytes?: number;
}

/** Compares secrets in constant time (a wrong guess must not reveal how much of it was right). */
export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

function other(role: Role): Role {
  return role === 'runtime' ? 'debugger' : 'runtime';
}

function isPeerInfo(p: unknown): p is PeerInfo {
  return typeof p === 'object' && p !== null && typeof (p as PeerInfo).name === 'string' && typeof (p as PeerInfo).version === 'string';
}

/**
 * The connecting side: sends hello, resolves with the accepting side's welcome. Rejects with a
 * ProtocolError (the accepting side's error code, `timeout` or `closed`) and closes the socket.
 * On success the socket is detached, ready for its owner's start().
 */
export function sendHello(framed: FramedSocket, opts: HandshakeOptions): Promise<WelcomeMessage> {
  return new Promise<WelcomeMessage>((resolve, reject) => {
    let settled = false;
    const timeoutMs = opts.timeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    const timer = setTimeout(() => fail(new ProtocolError('timeout', `no answer to the handshake within ${timeoutMs} ms: the other side is not a Loopscope ${other(opts.role)}, or it is stuck`)), timeoutMs);
    // Never keeps a process alive on its own (the runtime's agent must not).
    timer.unref();
    const fail = (err: ProtocolError, close = true) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (close) framed.destroy();
      reject(err);
    };
    const sessionLimit = framed.frameLimit;
    framed.frameLimit = Math.min(sessionLimit, opts.maxFrameBytes ?? HANDSHAKE_MAX_FRAME_BYTES);
    framed.start({
      message(msg) {
        if (settled) return;
        if (msg.type === 'error') {
          const code = typeof msg.code === 'string' ? msg.code : 'internal';
          const supported = Array.isArray(msg.supported) ? (msg.supported as number[]) : undefined;
          let text = typeof msg.message === 'string' ? msg.message : 'the handshake was refused';
          if (code === 'version-mismatch' && supported) text += ` (it speaks protocol ${supported.join(', ')}; this side speaks ${PROTOCOL_VERSION})`;
          fail(new ProtocolError(code as ProtocolError['code'], `the ${other(opts.role)} refused the connection: ${text}`, supported));
          return;
        }
        if (msg.type !== 'welcome') {
          fail(new ProtocolError('malformed', `expected a welcome message in answer to hello, got ${quote(msg.type)}`));
          return;
        }
        if (msg.protocol !== PROTOCOL_VERSION) {
          fail(new ProtocolError('version-mismatch', `the ${other(opts.role)} speaks protocol ${quote(msg.protocol)}, this side speaks ${PROTOCOL_VERSION}`, [Number(msg.protocol)]));
          return;
        }
        if (msg.role !== other(opts.role)) {
          fail(new ProtocolError('malformed', `connected to a ${quote(msg.role)}, expected a ${other(opts.role)}`));
          return;
        }
        settled = true;
        clearTimeout(timer);
        framed.detach();
        framed.frameLimit = sessionLimit;
        resolve(msg as unknown as WelcomeMessage);
      },
      frameError(err) {
        fail(err);
      },
      close(err) {
        fail(new ProtocolError('closed', `the ${other(opts.role)} closed the connection during the handshake${err ? ` (${err.message})` : ''}`), false);
      },
    });
    const hello: HelloMessage = { type: 'hello', protocol: PROTOCOL_VERSION, role: opts.role, secret: opts.secret, peer: opts.peer };
    framed.send(hello);
  });
}

/**
 * The accepting side: waits for hello and checks it. On success sends welcome and resolves with the
 * hello (the socket detached, ready for its owner's start()). Otherwise sends an error, closes the
 * connection and rejects with the same ProtocolError.
 */
export function awaitHello(framed: FramedSocket, opts: HandshakeOptions): Promise<HelloMessage> {
  return new Promise<HelloMessage>((resolve, reject) => {
    let settled = false;
    const timeoutMs = opts.timeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    const refuse = (err: ProtocolError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      framed.end(err.toMessage());
      reject(err);
    };
    const timer = setTimeout(() => refuse(new ProtocolError('timeout', `no hello within ${timeoutMs} ms of connecting`)), timeoutMs);
    timer.unref();
    const sessionLimit = framed.frameLimit;
    framed.frameLimit = Math.min(sessionLimit, opts.maxFrameBytes ?? HANDSHAKE_MAX_FRAME_BYTES);
    framed.start({
      message(msg) {
        if (settled) return;
        if (msg.type !== 'hello') {
          refuse(new ProtocolError('malformed', `the first message must be a hello, got ${quote(msg.type)}`));
          return;
        }
        if (msg.protocol !== PROTOCOL_VERSION) {
          refuse(new ProtocolError('version-mismatch', `protocol version ${quote(msg.protocol)} is not supported; this ${opts.role} speaks ${PROTOCOL_VERSION}: update the older side`, [PROTOCOL_VERSION]));
          return;
        }
        if (msg.role !== other(opts.role)) {
          refuse(new ProtocolError('malformed', `a hello with role ${quote(msg.role)} reached a ${opts.role}; expected role "${other(opts.role)}"`));
          return;
        }
        if (typeof msg.secret !== 'string' || !secretsEqual(msg.secret, opts.secret)) {
          refuse(new ProtocolError('bad-secret', 'wrong session secret: connect with the secret this session was started with (LOOPSCOPE_SECRET)'));
          return;
        }
        if (!isPeerInfo(msg.peer)) {
          refuse(new ProtocolError('malformed', 'hello.peer must be an object with string name and version'));
          return;
        }
        settled = true;
        clearTimeout(timer);
        framed.detach();
        framed.frameLimit = sessionLimit;
        const welcome: WelcomeMessage = { type: 'welcome', protocol: PROTOCOL_VERSION, role: opts.role, peer: opts.peer };
        framed.send(welcome);
        resolve(msg as unknown as HelloMessage);
      },
      frameError(err) {
        refuse(err);
      },
      close(err) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new ProtocolError('closed', `the connection closed before its hello${err ? ` (${err.message})` : ''}`));
      },
    });
  });
}
