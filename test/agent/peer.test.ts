// The debugger's end of the protocol (peer.ts) against a hand-driven runtime over real sockets:
// handshake, refusals (wrong secret, wrong version, bad hello), framing limits, requests.
import { describe, it, expect, afterEach } from 'vitest';
import { connect, type Socket } from 'node:net';
import { listenForRuntime, attachToRuntime, ProtocolError, type DebuggerListener } from '../../runtime/src/protocol/peer';
import { FramedSocket } from '../../runtime/src/protocol/framing';
import { PROTOCOL_VERSION, MAX_FRAME_BYTES } from '../../runtime/src/protocol/wire';
import { createServer } from 'node:net';
import { awaitHello } from '../../runtime/src/protocol/handshake';

const runtimePeer = { name: 'fake-runtime', version: '0' };

/** A raw client: collects every line the other side sends. */
function rawClient(port: number): Promise<{ socket: Socket; lines: string[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const lines: string[] = [];
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, lines, closed }));
    socket.once('error', reject);
  });
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let listener: DebuggerListener | null = null;
afterEach(() => {
  listener?.close();
  listener = null;
});

describe('listenForRuntime', () => {
  it('hands out a loopback address, a 64-hex-digit secret and the env for the program', async () => {
    listener = await listenForRuntime();
    expect(listener.host).toBe('127.0.0.1');
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(listener.env({ stopOnEntry: true })).toEqual({
      LOOPSCOPE_CONNECT: `127.0.0.1:${listener.port}`,
      LOOPSCOPE_SECRET: listener.secret,
      LOOPSCOPE_STOP_ON_ENTRY: '1',
    });
    expect(listener.env().LOOPSCOPE_STOP_ON_ENTRY).toBe('0');
  });

  it('accepts a runtime with the right secret, answers welcome, and delivers its messages and responses', async () => {
    listener = await listenForRuntime({ secret: 's3cret' });
    const c = await rawClient(listener.port);
    c.socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'runtime', secret: 's3cret', peer: runtimePeer }) + '\n');
    const conn = await listener.accept(2000);
    expect(conn.peer.name).toBe('fake-runtime');
    await until(() => c.lines.length >= 1);
    const welcome = JSON.parse(c.lines[0]);
    expect(welcome).toMatchObject({ type: 'welcome', protocol: PROTOCOL_VERSION, role: 'debugger' });

    const snapshots: unknown[] = [];
    conn.on('snapshot', (m) => snapshots.push(m));
    c.socket.write(JSON.stringify({ type: 'snapshot', seq: 0, time: 0, loop: null, tasks: [], resources: [] }) + '\n');
    const p = conn.request('readyQueue', {});
    await until(() => c.lines.length >= 2);
    const req = JSON.parse(c.lines[1]);
    expect(req).toMatchObject({ type: 'request', command: 'readyQueue', args: {} });
    c.socket.write(JSON.stringify({ type: 'response', id: req.id, ok: true, body: { taskIds: [3], callbacks: 1 } }) + '\n');
    await expect(p).resolves.toEqual({ taskIds: [3], callbacks: 1 });
    expect(snapshots).toHaveLength(1);

    const q = conn.request('cancelTask', { taskId: 99 });
    await until(() => c.lines.length >= 3);
    const req2 = JSON.parse(c.lines[2]);
    c.socket.write(JSON.stringify({ type: 'response', id: req2.id, ok: false, error: { code: 'unknown-task', message: 'no task 99' } }) + '\n');
    await expect(q).rejects.toMatchObject({ code: 'unknown-task', message: 'cancelTask: no task 99' });

    const closed = new Promise<void>((r) => conn.on('close', r));
    const pending = conn.request('snapshot', {});
    c.socket.destroy();
    await closed;
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    await expect(conn.request('pause', {})).rejects.toBeInstanceOf(ProtocolError);
  });

  it('refuses a wrong secret with bad-secret and keeps listening', async () => {
    const refused: ProtocolError[] = [];
    listener = await listenForRuntime({ onRejected: (e) => refused.push(e) });
    const bad = await rawClient(listener.port);
    bad.socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'runtime', secret: 'guess', peer: runtimePeer }) + '\n');
    await bad.closed;
    expect(JSON.parse(bad.lines[0])).toMatchObject({ type: 'error', code: 'bad-secret' });
    expect(refused.map((e) => e.code)).toEqual(['bad-secret']);

    const good = await rawClient(listener.port);
    good.socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'runtime', secret: listener.secret, peer: runtimePeer }) + '\n');
    const conn = await listener.accept(2000);
    expect(conn.peer.name).toBe('fake-runtime');
    good.socket.destroy();
  });

  it('refuses another protocol version, listing the one it speaks', async () => {
    listener = await listenForRuntime();
    const c = await rawClient(listener.port);
    c.socket.write(JSON.stringify({ type: 'hello', protocol: 999, role: 'runtime', secret: listener.secret, peer: runtimePeer }) + '\n');
    await c.closed;
    expect(JSON.parse(c.lines[0])).toMatchObject({ type: 'error', code: 'version-mismatch', supported: [PROTOCOL_VERSION] });
  });

  it('refuses malformed JSON and a non-hello first message', async () => {
    listener = await listenForRuntime();
    const a = await rawClient(listener.port);
    a.socket.write('{"type": "hello", oops\n');
    await a.closed;
    expect(JSON.parse(a.lines[0])).toMatchObject({ type: 'error', code: 'malformed' });
    const b = await rawClient(listener.port);
    b.socket.write('[1,2]\n');
    await b.closed;
    expect(JSON.parse(b.lines[0])).toMatchObject({ type: 'error', code: 'malformed' });
    const c = await rawClient(listener.port);
    c.socket.write(JSON.stringify({ type: 'snapshot' }) + '\n');
    await c.closed;
    expect(JSON.parse(c.lines[0]).message).toMatch(/first message must be a hello/);
  });

  it('closes a connection that sends a line longer than MAX_FRAME_BYTES, with too-large', async () => {
    listener = await listenForRuntime();
    const c = await rawClient(listener.port);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    // Write without a newline until the other side gives up; it must not buffer past the limit.
    while (sent <= MAX_FRAME_BYTES + chunk.length && !c.socket.destroyed && c.lines.length === 0) {
      await new Promise<void>((r) => c.socket.write(chunk, () => r()));
      sent += chunk.length;
    }
    await c.closed;
    expect(JSON.parse(c.lines[0])).toMatchObject({ type: 'error', code: 'too-large' });
  });

  it('accept() times out with a message naming the last refusal', async () => {
    listener = await listenForRuntime();
    const bad = await rawClient(listener.port);
    bad.socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'runtime', secret: 'nope', peer: runtimePeer }) + '\n');
    await bad.closed;
    const err = await listener.accept(100).catch((e) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/1 connection\(s\) were refused.*wrong session secret/);
  });

  it('close() rejects waiting accept() calls', async () => {
    listener = await listenForRuntime();
    const p = listener.accept();
    listener.close();
    await expect(p).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('attachToRuntime', () => {
  /** A fake listening runtime, using the shared handshake with role 'runtime'. */
  async function fakeListeningRuntime(secret: string) {
    const sockets: FramedSocket[] = [];
    const server = createServer((s) => {
      const f = new FramedSocket(s);
      awaitHello(f, { role: 'runtime', secret, peer: runtimePeer }).then(
        () => {
          sockets.push(f);
          // Sent right behind the welcome: the connection must still deliver it to listeners attached after attach resolves.
          f.send({ type: 'snapshot', seq: 0, time: 0, loop: null, tasks: [], resources: [] });
        },
        () => {},
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    return { port, sockets, close: () => server.close() };
  }

  it('connects, presents the secret, and receives what follows the welcome', async () => {
    const rt = await fakeListeningRuntime('abc');
    try {
      const conn = await attachToRuntime({ host: '127.0.0.1', port: rt.port, secret: 'abc' });
      expect(conn.peer.name).toBe('fake-runtime');
      const snap = await new Promise((r) => conn.on('snapshot', r));
      expect(snap).toMatchObject({ type: 'snapshot', seq: 0 });
      conn.close();
    } finally {
      rt.close();
    }
  });

  it('rejects with bad-secret when the runtime refuses the secret', async () => {
    const rt = await fakeListeningRuntime('abc');
    try {
      const err = await attachToRuntime({ host: '127.0.0.1', port: rt.port, secret: 'xyz' }).catch((e) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect(err.code).toBe('bad-secret');
      expect(err.message).toMatch(/runtime refused the connection: wrong session secret/);
    } finally {
      rt.close();
    }
  });

  it('rejects with connect-failed and a hint when nothing listens', async () => {
    const rt = await fakeListeningRuntime('abc');
    rt.close();
    const err = await attachToRuntime({ host: '127.0.0.1', port: rt.port, secret: 'x' }).catch((e) => e);
    expect(err.code).toBe('connect-failed');
    expect(err.message).toMatch(/LOOPSCOPE_LISTEN=127\.0\.0\.1:\d+/);
  });

  it('checks its arguments', async () => {
    await expect(attachToRuntime({ host: '127.0.0.1', port: 0, secret: 'x' })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(attachToRuntime({ host: '127.0.0.1', port: 1234, secret: '' })).rejects.toMatchObject({ code: 'bad-arguments' });
  });
});
