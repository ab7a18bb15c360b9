/**
 * NDJSON framing over a TCP socket: one JSON message per line, UTF-8, `\n`-terminated. Used by both
 * ends of the protocol (the runtime's agent and the debugger's peer). A line longer than
 * MAX_FRAME_BYTES is refused with a `too-large` error and the connection is closed: nothing is
 * buffered beyond that bound.
 */
import type { Socket } from 'node:net';
import { MAX_FRAME_BYTES, type ErrorCode, type ErrorMessage } from './wire';

/** Failure modes of a protocol connection: the wire's error codes plus the transport's own. */
export type ProtocolErrorCode = ErrorCode | 'connect-failed' | 'timeout' | 'closed';

/** Every failure of the protocol layer carries a code a program can switch on and a message a user can act on. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    /** version-mismatch: the versions the other side speaks. */
    readonly supported?: number[],
  ) {
    super(message);
  }

  /** The error as an `error` message for the other side (transport-only codes become `internal`). */
  toMessage(): ErrorMessage {
    const code: ErrorCode = this.code === 'connect-failed' || this.code === 'timeout' || this.code === 'closed' ? 'internal' : this.code;
    const m: ErrorMessage = { type: 'error', code, message: this.message };
    if (this.supported) m.supported = this.supported;
    return m;
  }
}

export interface FramedSocketHandlers {
  /** A well-formed JSON object arrived (not yet checked against the protocol's message types). */
  message(msg: Record<string, unknown>): void;
  /**
   * A frame could not be read: `malformed` (not JSON, or not an object; the connection stays usable)
   * or `too-large` (the connection is being closed).
   */
  frameError(err: ProtocolError): void;
  /** The connection closed (either side, or a network error). Called once. */
  close(err?: Error): void;
}

const NEWLINE = 0x0a;
/** Messages of one chunk are handled for at most this long (ms) at once; the rest in the next turn. */
const READ_SLICE_MS = 10;

/** Whether `json` (UTF-8) fits in a frame of `maxBytes`; counts bytes only when the length alone cannot tell. */
export function fitsFrame(json: string, maxBytes: number): boolean {
  if (json.length * 3 <= maxBytes) return true;
  return json.length <= maxBytes && Buffer.byteLength(json, 'utf8') <= maxBytes;
}

/** A socket speaking NDJSON. Owns the socket: closing this closes it. */
export class FramedSocket {
  private chunks: Buffer[] = [];
  /** Bytes in `chunks` (all of them belong to the current, unterminated line). */
  private pending = 0;
  private closed = false;
  private handlers: FramedSocketHandlers | null = null;
  private closeError: Error | undefined;
  /** What arrived while no handlers were attached (between the handshake and the connection's owner). */
  private backlog: { msg?: Record<string, unknown>; err?: ProtocolError }[] = [];
  private reading = false;
  /** Reading waits while more than this many written bytes are unsent (null: reads regardless). */
  private unsentLimit: number | null = null;
  /** Input not yet handled, held while the other side catches up with what was written. */
  private held: Buffer | null = null;

  constructor(
    readonly socket: Socket,
    private maxFrameBytes: number = MAX_FRAME_BYTES,
  ) {
    socket.setNoDelay(true);
    // A network error (ECONNRESET, EPIPE) ends the connection; it must never become an uncaught exception.
    socket.on('error', (err) => {
      this.closeError ??= err;
    });
    socket.on('close', () => this.onClose());
  }

  /**
   * Starts (or hands over) delivery to `handlers`. What arrived while none were attached is
   * delivered first, in order; the socket buffers unread data meanwhile.
   */
  start(handlers: FramedSocketHandlers): void {
    this.handlers = handlers;
    const backlog = this.backlog;
    this.backlog = [];
    for (const b of backlog) {
      if (this.handlers !== handlers) return;
      if (b.msg) handlers.message(b.msg);
      else if (b.err) handlers.frameError(b.err);
    }
    if (this.handlers !== handlers) return;
    if (this.closed) {
      handlers.close(this.closeError);
      return;
    }
    if (!this.reading) {
      this.reading = true;
      this.socket.on('data', (data: Buffer) => this.onData(data));
    } else this.socket.resume();
  }

  /** Stops delivering: later messages wait (and the socket stops reading) until start() is called again. */
  detach(): void {
    this.handlers = null;
    if (!this.closed) this.socket.pause();
  }

  /** The longest line accepted from now on (a handshake accepts far less than a session). */
  get frameLimit(): number {
    return this.maxFrameBytes;
  }

  set frameLimit(bytes: number) {
    this.maxFrameBytes = bytes;
    if (this.pending > bytes) this.tooLarge();
  }

  /**
   * Stops reading while more than `bytes` written bytes wait for the other side to read them, and
   * reads on once they drained. A peer that asks (a snapshot, a step) but never reads the answers
   * can then make this side buffer at most about `bytes` plus one answer.
   */
  set readWhileUnsentBelow(bytes: number | null) {
    this.unsentLimit = bytes;
  }

  /** Bytes written but not yet handed to the OS: how far behind the reader is. */
  get writableLength(): number {
    return this.socket.writableLength;
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /**
   * Writes one message; returns false if it was dropped: the connection is already closed, or the
   * message is longer than the frame limit (the other side would refuse it and close).
   */
  send(msg: object): boolean {
    if (this.isClosed) return false;
    return this.sendText(JSON.stringify(msg));
  }

  /** Writes one message already serialized as JSON (no newline in it: JSON.stringify output never has one). */
  sendText(json: string): boolean {
    if (this.isClosed || !fitsFrame(json, this.maxFrameBytes)) return false;
    this.socket.write(json + '\n');
    return true;
  }

  /** Sends `msg` (if given) as the last message, then closes once it is flushed. */
  end(msg?: object): void {
    if (this.isClosed) return;
    if (msg) this.socket.end(JSON.stringify(msg) + '\n');
    else this.socket.end();
    // A peer that never reads must not keep a half-closed socket around.
    const t = setTimeout(() => this.socket.destroy(), 2000);
    t.unref();
  }

  /** Closes at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    if (this.closed) return;
    if (this.held !== null) {
      // (Only data already on its way when reading paused.)
      this.held = Buffer.concat([this.held, data]);
      return;
    }
    let start = 0;
    const began = performance.now();
    for (;;) {
      const nl = data.indexOf(NEWLINE, start);
      if (nl < 0) break;
      if (this.pending + (nl - start) > this.maxFrameBytes) return this.tooLarge();
      let line: Buffer;
      if (this.pending > 0) {
        this.chunks.push(data.subarray(start, nl));
        line = Buffer.concat(this.chunks, this.pending + (nl - start));
        this.chunks = [];
        this.pending = 0;
      } else line = data.subarray(start, nl);
      start = nl + 1;
      this.onLine(line);
      if (this.closed || this.socket.destroyed) return;
      if (this.unsentLimit !== null && this.socket.writableLength > this.unsentLimit) {
        this.holdUntil(data.subarray(start), (goOn) => this.socket.once('drain', goOn));
        return;
      }
      // Many costly messages in one chunk (a burst of questions about 100,000 tasks): the rest waits
      // for the next turn of Node's event loop, so that handling them never blocks the program long.
      if (start < data.length && performance.now() - began > READ_SLICE_MS) {
        this.holdUntil(data.subarray(start), (goOn) => setImmediate(goOn));
        return;
      }
    }
    if (start < data.length) {
      const rest = data.length - start;
      if (this.pending + rest > this.maxFrameBytes) return this.tooLarge();
      this.chunks.push(start === 0 ? data : data.subarray(start));
      this.pending += rest;
    }
  }

  /** Keeps `rest` unhandled (and the socket unread) until `wait` calls back, then goes on with it. */
  private holdUntil(rest: Buffer, wait: (goOn: () => void) => void): void {
    this.held = rest;
    this.socket.pause();
    wait(() => {
      const held = this.held;
      this.held = null;
      if (this.closed) return;
      if (held !== null && held.length > 0) this.onData(held);
      if (this.held === null && this.handlers !== null && !this.closed) this.socket.resume();
    });
  }

  private onLine(line: Buffer): void {
    // Tolerate CRLF and blank lines (keep-alives, hand-typed input).
    let end = line.length;
    if (end > 0 && line[end - 1] === 0x0d) end--;
    if (end === 0) return;
    const text = line.toString('utf8', 0, end);
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      const preview = text.length > 80 ? text.slice(0, 77) + '...' : text;
      this.deliverError(new ProtocolError('malformed', `a line is not valid JSON (${(err as Error).message}): ${preview}`));
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.deliverError(new ProtocolError('malformed', `a message must be a JSON object, got ${Array.isArray(msg) ? 'an array' : typeof msg === 'object' ? 'null' : typeof msg}`));
      return;
    }
    if (this.handlers) this.handlers.message(msg as Record<string, unknown>);
    else this.backlog.push({ msg: msg as Record<string, unknown> });
  }

  private deliverError(err: ProtocolError): void {
    if (this.handlers) this.handlers.frameError(err);
    else this.backlog.push({ err });
  }

  private tooLarge(): void {
    this.chunks = [];
    this.pending = 0;
    const err = new ProtocolError('too-large', `a message is longer than the ${this.maxFrameBytes}-byte limit; closing the connection`);
    this.deliverError(err);
    // Stop reading at once; tell the other side why, then close.
    this.socket.pause();
    this.end(err.toMessage());
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.pending = 0;
    // Without handlers the close is delivered by the next start().
    this.handlers?.close(this.closeError);
  }
}
