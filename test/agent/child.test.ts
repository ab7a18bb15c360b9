// Real programs run through tsx with the debugger's environment variables, as the debug adapter and
// the CLI launch them: the agent starts from run(), source breakpoints map to the TypeScript lines,
// and a debugger that is absent, wrong or hostile costs the program nothing but a line on stderr.
import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { connect } from 'node:net';
import { listenForRuntime, attachToRuntime, type DebuggerListener, type RuntimeConnection } from '../../runtime/src/protocol/peer';
import { PROTOCOL_VERSION, type StoppedMessage } from '../../runtime/src/protocol/wire';
import { here, lineOf, runProgram, until, Model } from './helpers';

const PIPELINE = join(here, 'programs', 'pipeline.ts');
const TICKER = join(here, 'programs', 'ticker.ts');

let listener: DebuggerListener | null = null;
const children: { child: { kill(): void } }[] = [];
afterEach(() => {
  listener?.close();
  listener = null;
  for (const c of children.splice(0)) c.child.kill();
});

function watch(conn: RuntimeConnection) {
  const model = new Model();
  const stops: StoppedMessage[] = [];
  let waiters: ((m: StoppedMessage) => void)[] = [];
  const closed = new Promise<void>((r) => conn.on('close', () => r()));
  const loopClosed = new Promise<unknown>((r) => conn.on('loopClosed', r));
  conn.on('snapshot', (m) => model.snapshot(m));
  conn.on('delta', (m) => model.delta(m));
  conn.on('stopped', (m) => {
    stops.push(m);
    const w = waiters;
    waiters = [];
    w.forEach((f) => f(m));
  });
  return { model, stops, closed, loopClosed, nextStop: () => new Promise<StoppedMessage>((r) => waiters.push(r)) };
}

describe('agent in a real program (tsx)', () => {
  it('launch: connects with the secret, stops on entry, stops at a source breakpoint on the right task and line', async () => {
    listener = await listenForRuntime();
    const p = runProgram('pipeline.ts', listener.env({ stopOnEntry: true }));
    children.push(p);
    const conn = await listener.accept(30_000);
    expect(conn.peer).toMatchObject({ name: 'loopscope-ts', pid: p.child.pid });
    const w = watch(conn);
    const entry = await w.nextStop();
    expect(entry.reason).toBe('entry');

    const line = lineOf(PIPELINE, 'BP-FETCH');
    const set = await conn.request('setBreakpoints', { breakpoints: [{ id: 11, file: PIPELINE, line, taskName: 'fetch-2', hitCount: 2 }] });
    expect(set.breakpoints).toEqual([{ id: 11, verified: true }]);
    const hitP = w.nextStop();
    await conn.request('resume', {});
    const hit = await hitP;
    expect(hit).toMatchObject({ reason: 'breakpoint', breakpointIds: [11], location: { file: PIPELINE, line, function: 'fetcher' } });
    expect(w.model.tasks.get(hit.taskId!)?.name).toBe('fetch-2');
    expect(hit.description).toBe(`fetch-2 suspends at pipeline.ts:${line}`);

    const details = await conn.request('taskDetails', { taskId: hit.taskId! });
    expect(details.suspendStack[0]).toMatchObject({ file: PIPELINE, line, function: 'fetcher' });
    expect(details.task).toMatchObject({ name: 'fetch-2', state: 'suspended', awaiting: { kind: 'sleep' }, location: { line } });
    // Created in the arrow passed to map(), inside main.
    expect(details.creationStack[0]).toMatchObject({ file: PIPELINE, line: lineOf(PIPELINE, 'createTask(fetcher(q, 5)'), function: '' });
    expect(details.creationStack[1]).toMatchObject({ file: PIPELINE, function: 'main' });
    expect(details.creationChain.map((c) => c.name)).toEqual(['main']);

    // The second hit counts (hitCount 2): the task suspended there twice by now, and only fetch-2 stops.
    expect(w.stops.filter((s) => s.reason === 'breakpoint')).toHaveLength(1);
    const again = w.nextStop();
    await conn.request('resume', {});
    const hit2 = await again;
    expect(hit2.taskId).toBe(hit.taskId);
    await conn.request('setBreakpoints', { breakpoints: [] });
    await conn.request('resume', {});
    expect(await w.loopClosed).toMatchObject({ outcome: 'done' });
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('parsed 10');
    await w.closed;
  });

  it('a resume breakpoint stops a task before it goes on from that line', async () => {
    listener = await listenForRuntime();
    const p = runProgram('pipeline.ts', listener.env({ stopOnEntry: true }));
    children.push(p);
    const conn = await listener.accept(30_000);
    const w = watch(conn);
    await w.nextStop();
    const line = lineOf(PIPELINE, 'BP-PARSE');
    await conn.request('setBreakpoints', { breakpoints: [{ id: 3, file: PIPELINE, line, mode: 'resume' }] });
    const hitP = w.nextStop();
    await conn.request('resume', {});
    const hit = await hitP;
    expect(hit).toMatchObject({ reason: 'breakpoint', breakpointIds: [3], location: { line, function: 'parser' } });
    const rec = w.model.tasks.get(hit.taskId!)!;
    expect(rec.name).toMatch(/^parse-/);
    expect(rec.state).toBe('ready');
    expect(hit.description).toBe(`${rec.name} is about to resume from pipeline.ts:${line}`);
    await conn.request('setBreakpoints', { breakpoints: [] });
    await conn.request('resume', {});
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('parsed 10');
  });

  it('a wrong secret is refused; the program says so on stderr and runs normally', async () => {
    const refused: string[] = [];
    listener = await listenForRuntime({ onRejected: (e) => refused.push(e.code) });
    const env = { ...listener.env(), LOOPSCOPE_SECRET: 'not-the-secret' };
    const p = runProgram('pipeline.ts', env);
    children.push(p);
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('parsed 10');
    expect(p.stderr()).toMatch(/loopscope: the debugger at 127\.0\.0\.1:\d+ refused this program \(.*wrong session secret.*\); running without it/);
    expect(refused).toEqual(['bad-secret']);
  });

  it('an unreachable debugger, or a non-loopback address, costs one warning line', async () => {
    const closed = await listenForRuntime();
    const port = closed.port;
    closed.close();
    const p = runProgram('pipeline.ts', { LOOPSCOPE_CONNECT: `127.0.0.1:${port}`, LOOPSCOPE_SECRET: 'x' });
    children.push(p);
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('parsed 10');
    expect(p.stderr()).toMatch(/cannot reach the debugger at 127\.0\.0\.1:\d+ \(ECONNREFUSED\); running without it/);

    const q = runProgram('pipeline.ts', { LOOPSCOPE_CONNECT: '10.1.2.3:9339', LOOPSCOPE_SECRET: 'x' });
    children.push(q);
    expect(await q.exit).toBe(0);
    expect(q.stdout()).toContain('parsed 10');
    expect(q.stderr()).toMatch(/only loopback addresses/);
  });

  it('attach: a listening runtime refuses a wrong version, a wrong secret, bad JSON, then serves one debugger at a time', async () => {
    const p = runProgram('ticker.ts', { LOOPSCOPE_LISTEN: '127.0.0.1:0', LOOPSCOPE_SECRET: 'attach-secret' }, ['4000']);
    children.push(p);
    await until(() => /attach on 127\.0\.0\.1:\d+/.test(p.stderr()), 30_000, 'the listening line');
    const port = Number(/attach on 127\.0\.0\.1:(\d+)/.exec(p.stderr())![1]);

    const rawHello = async (line: string) => {
      const s = connect({ host: '127.0.0.1', port });
      let got = '';
      s.setEncoding('utf8').on('data', (d: string) => (got += d));
      await new Promise((r) => s.once('connect', r));
      s.write(line + '\n');
      await new Promise((r) => s.on('close', r));
      return JSON.parse(got.split('\n')[0]);
    };
    const hello = (o: object) => JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'debugger', secret: 'attach-secret', peer: { name: 't', version: '0' }, ...o });
    expect(await rawHello(hello({ protocol: 2 }))).toMatchObject({ type: 'error', code: 'version-mismatch', supported: [PROTOCOL_VERSION] });
    expect(await rawHello(hello({ secret: 'guess' }))).toMatchObject({ type: 'error', code: 'bad-secret' });
    expect(await rawHello('{not json')).toMatchObject({ type: 'error', code: 'malformed' });
    expect(await rawHello(hello({ role: 'runtime' }))).toMatchObject({ type: 'error', code: 'malformed' });

    const conn = await attachToRuntime({ host: '127.0.0.1', port, secret: 'attach-secret' });
    const w = watch(conn);
    await until(() => w.model.snapshots > 0 && w.model.tasks.size >= 3, 10_000, 'the snapshot');
    expect([...w.model.tasks.values()].map((t) => t.name).sort()).toEqual(['main', 'tick-a', 'tick-b']);
    // One debugger at a time.
    const second = await attachToRuntime({ host: '127.0.0.1', port, secret: 'attach-secret' }).then(
      (c) => new Promise((r) => c.on('protocolError', r)),
      (e) => e,
    );
    expect(second).toMatchObject({ code: 'not-ready' });

    const stop = w.nextStop();
    await conn.request('pause', {});
    expect((await stop).reason).toBe('pause');
    await conn.request('resume', {});
    // Leaving: the program runs on to its end.
    conn.close();
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('ticks ok');
    expect(p.stderr()).toMatch(/refused a debugger connection: .*wrong session secret/);
  });
});
