// A debugger that asks and never reads the answers, or stops reading for good: what the program keeps
// for it is bounded for every kind of message (batches, answers, snapshots), and a program that is
// done still ends.
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { run, createTask, sleep, Event } from 'loopscope';
import { HIGH_WATER_BYTES } from '../../runtime/src/agent/session';
import { PROTOCOL_VERSION } from '../../runtime/src/protocol/wire';
import { rawDebugger, runProgram, until } from './helpers';

let raw: Awaited<ReturnType<typeof rawDebugger>> | null = null;
const servers: Server[] = [];
const sockets: Socket[] = [];
const children: { child: { kill(): void } }[] = [];
afterEach(() => {
  raw?.cleanup();
  raw = null;
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
  for (const c of children.splice(0)) c.child.kill();
});

describe('a debugger that does not read', () => {
  it('asking for 300 snapshots of 5,000 tasks without reading them: the unsent bytes stay near the high-water mark', async () => {
    raw = await rawDebugger();
    const r = raw;
    const framed = (r.session as unknown as { framed: { writableLength: number } }).framed;
    r.socket.pause();
    let maxUnsent = 0;
    function* waiter(ev: Event) {
      yield* ev.wait();
    }
    function* main() {
      const ev = new Event({ name: 'never' });
      for (let i = 0; i < 5000; i++) createTask(waiter(ev), { name: `waiter-${i}` });
      yield* sleep(0);
      for (let i = 1; i <= 300; i++) r.send({ type: 'request', id: i, command: 'snapshot' });
      // Run until the agent is well behind, then on for as long again: time for every request to be read if it would be.
      let steps = 0;
      while (framed.writableLength <= HIGH_WATER_BYTES && steps < 20_000) {
        maxUnsent = Math.max(maxUnsent, framed.writableLength);
        steps++;
        yield* sleep(1);
      }
      for (let i = 0; i < steps + 50; i++) {
        maxUnsent = Math.max(maxUnsent, framed.writableLength);
        yield* sleep(1);
      }
      ev.set();
      return 'done';
    }
    expect(await run(main())).toBe('done');
    // 300 snapshots of 5,000 tasks are over 100 MB; reading stops at the high-water mark, so at most one more answer follows.
    expect(maxUnsent).toBeGreaterThan(HIGH_WATER_BYTES);
    expect(maxUnsent).toBeLessThan(HIGH_WATER_BYTES + 4 * 1024 * 1024);
    // Reading again: every request is answered, in order.
    r.socket.resume();
    await until(() => r.messages.some((m) => m.type === 'response' && m.id === 300), 60_000, 'the last answer');
    const ids = r.messages.filter((m) => m.type === 'response').map((m) => m.id);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('a program whose debugger stopped reading still exits at its end, with its output', async () => {
    // A debugger that takes the hello, answers welcome, then never reads again.
    let hung: Socket | null = null;
    const server = createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.once('data', () => {
        s.write(JSON.stringify({ type: 'welcome', protocol: PROTOCOL_VERSION, role: 'debugger', peer: { name: 'deaf', version: '0' } }) + '\n');
        s.pause();
        hung = s;
      });
    });
    servers.push(server);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as { port: number }).port;
    const p = runProgram('chatty.ts', { LOOPSCOPE_CONNECT: `127.0.0.1:${port}`, LOOPSCOPE_SECRET: 'deaf' }, ['20000']);
    children.push(p);
    await until(() => hung !== null, 30_000, 'the handshake');
    // Alone it ends in about a second; it used to stay alive for as long as the debugger did not read.
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toBe('finished 20000\n');
  }, 60_000);
});
