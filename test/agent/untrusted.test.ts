// What a client that has not proven the secret, or sends absurd input, may cost the program: a
// bounded amount (connections waiting for their hello, the bytes of a hello, the time to send it),
// errors that quote a short part of the input, and never an answer above the frame limit.
import { describe, it, expect, afterEach } from 'vitest';
import { connect, createServer, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { run, sleep, currentTask } from 'loopscope';
import { attachToRuntime } from '../../runtime/src/protocol/peer';
import { MAX_FRAME_BYTES } from '../../runtime/src/protocol/wire';
import { MAX_PENDING_HANDSHAKES, LISTEN_HELLO_MAX_BYTES } from '../../runtime/src/agent/index';
import { rawDebugger, runProgram, until } from './helpers';

const children: { child: { kill(): void } }[] = [];
const sockets: Socket[] = [];
let raw: Awaited<ReturnType<typeof rawDebugger>> | null = null;
afterEach(() => {
  raw?.cleanup();
  raw = null;
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.child.kill();
});

/** A listening program (ticker.ts for `ms`), and its port once it says it listens. */
async function listeningProgram(ms: number) {
  const p = runProgram('ticker.ts', { LOOPSCOPE_LISTEN: '127.0.0.1:0', LOOPSCOPE_SECRET: 'untrusted-secret' }, [String(ms)]);
  children.push(p);
  await until(() => /attach on 127\.0\.0\.1:\d+/.test(p.stderr()), 30_000, 'the listening line');
  return { p, port: Number(/attach on 127\.0\.0\.1:(\d+)/.exec(p.stderr())![1]) };
}

/** A connection that says nothing; `received` is what the other side sent, `closed` when it closed. */
async function silent(port: number) {
  const s = connect({ host: '127.0.0.1', port });
  sockets.push(s);
  const state = { received: '', closed: false };
  s.setEncoding('utf8').on('data', (d: string) => (state.received += d));
  s.on('error', () => {});
  s.on('close', () => (state.closed = true));
  await new Promise((r) => s.once('connect', r));
  return { socket: s, state };
}

describe('connections before the handshake', () => {
  it('closes a hello line longer than the handshake limit as soon as it passes it, not at the 16 MiB frame limit', async () => {
    const { p, port } = await listeningProgram(20_000);
    const { socket, state } = await silent(port);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    // Two megabytes without a newline: a session frame could be 16 MiB, a hello may not.
    while (!state.closed && written < 2 * 1024 * 1024) {
      await new Promise<void>((r) => socket.write(chunk, () => r()));
      written += chunk.length;
    }
    await until(() => state.closed, 10_000, 'the connection to be closed');
    // Refused for its size (the answer itself may be lost to the reset of a socket closed with unread input).
    await until(() => p.stderr().includes('refused a debugger connection'), 5000, 'the refusal on stderr');
    expect(p.stderr()).toContain(`refused a debugger connection: a message is longer than the ${LISTEN_HELLO_MAX_BYTES}-byte limit`);
    expect(LISTEN_HELLO_MAX_BYTES).toBeLessThan(MAX_FRAME_BYTES / 100);
  });

  it(`keeps at most ${MAX_PENDING_HANDSHAKES} connections waiting for their hello (the oldest go), and a debugger still attaches`, async () => {
    const { p, port } = await listeningProgram(20_000);
    const idle: Awaited<ReturnType<typeof silent>>[] = [];
    for (let i = 0; i < MAX_PENDING_HANDSHAKES + 6; i++) idle.push(await silent(port));
    // The six oldest are closed without a word; the newest wait for their hello.
    await until(() => idle.filter((c) => c.state.closed).length === 6, 10_000, 'the oldest idle connections to be closed');
    expect(idle.slice(0, 6).every((c) => c.state.closed && c.state.received === '')).toBe(true);
    expect(idle.slice(6).some((c) => c.state.closed)).toBe(false);
    const conn = await attachToRuntime({ host: '127.0.0.1', port, secret: 'untrusted-secret' });
    const snapshot = new Promise((r) => conn.on('snapshot', r));
    await snapshot;
    conn.close();
    // One line for the whole burst, not one per connection.
    expect(p.stderr().match(/connections without a hello/g)).toHaveLength(1);
  });

  it('a connection that never says hello does not keep a finished program alive', async () => {
    const { p, port } = await listeningProgram(1500);
    const { state } = await silent(port);
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('ticks ok');
    // The program ended on its own, before the handshake's timeout could answer the connection.
    expect(state.received).toBe('');
  });
});

describe('answers to absurd requests', () => {
  it('an unknown command of 10 MiB gets a short error quoting its start, far below the frame limit', async () => {
    raw = await rawDebugger();
    const r = raw;
    const name = 'c'.repeat(10 * 1024 * 1024);
    r.send({ type: 'request', id: 1, command: name, args: {} });
    r.send({ type: 'request', id: 2, command: 'readyQueue', args: name });
    r.send({ type: 'request', id: 3, command: 'taskDetails', args: { taskId: name } });
    await until(() => r.messages.some((m) => m.id === 3), 20_000, 'the answers');
    const answers = [1, 2, 3].map((id) => r.messages.find((m) => m.id === id)!);
    expect(answers.map((a) => a.error.code)).toEqual(['unknown-command', 'bad-arguments', 'bad-arguments']);
    for (const a of answers) {
      expect(JSON.stringify(a).length).toBeLessThan(1000);
      expect(a.error.message).toContain(`"${'c'.repeat(60)}"… (${name.length} characters)`);
    }
    expect(await run(ticks())).toBe('ok');
  });

  it('an answer that would exceed the frame limit becomes an error saying so (the connection survives)', async () => {
    raw = await rawDebugger();
    const r = raw;
    // A name of control characters: each is escaped to 6 bytes, so its details pass 16 MiB.
    const huge = '\u0001'.repeat(3_000_000);
    let id = 0;
    function* named() {
      id = currentTask()!.id;
      r.send({ type: 'request', id: 1, command: 'taskDetails', args: { taskId: id } });
      r.send({ type: 'request', id: 2, command: 'readyQueue', args: {} });
      for (let i = 0; i < 200 && !r.messages.some((m) => m.id === 2); i++) yield* sleep(5);
      return 'ok';
    }
    expect(await run(named(), { name: huge })).toBe('ok');
    await until(() => r.messages.some((m) => m.id === 2), 10_000, 'the answers');
    expect(r.messages.find((m) => m.id === 1)).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/above the protocol's 16777216-byte frame limit/) } });
    expect(r.messages.find((m) => m.id === 2)).toMatchObject({ ok: true });
  });

  it('after an absurd request the connection stays usable', async () => {
    raw = await rawDebugger();
    const r = raw;
    r.send({ type: 'request', id: 1, command: 'x'.repeat(100_000) });
    r.send({ type: 'request', id: 2, command: 'readyQueue', args: {} });
    await until(() => r.messages.some((m) => m.id === 2), 10_000, 'the second answer');
    expect(r.messages.find((m) => m.id === 2)).toMatchObject({ ok: true });
  });
});

function* ticks() {
  for (let i = 0; i < 3; i++) yield* sleep(1);
  return 'ok';
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  return undefined;
}

describe('attaching to another machine', () => {
  const address = externalAddress();
  it.skipIf(address === undefined)('refuses a non-loopback address before sending a byte (the secret would travel in clear text), unless allowRemote', async () => {
    let received = '';
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.setEncoding('utf8').on('data', (d: string) => (received += d));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, address, () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await attachToRuntime({ host: address!, port, secret: 'do-not-leak', timeoutMs: 3000 }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/not a loopback address.*ssh -L.*allowRemote: true/s);
      await until(() => connections === 1, 5000, 'the refused connection to arrive');
      expect(received).toBe('');
      // Opted in: the hello (and so the secret) goes out; this server never answers, so it times out.
      const opted = await attachToRuntime({ host: address!, port, secret: 'do-not-leak', timeoutMs: 1000, allowRemote: true }).then(
        () => null,
        (e: Error) => e,
      );
      expect(opted?.message).toMatch(/no answer to the handshake/);
      expect(received).toContain('do-not-leak');
    } finally {
      server.close();
    }
  });
});
