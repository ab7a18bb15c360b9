// The blocked-loop watchdog: a program whose task spins for 1.5 s without yielding (the main thread,
// and the agent with it, cannot say anything meanwhile); its worker thread tells the debugger over
// its own connection which task holds the loop and where that step resumed, every second, and that
// the loop runs again afterwards. The program runs through the await-site transform, as `loopscope
// run` and the debug adapter run it.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listenForRuntime, attachToRuntime, type DebuggerListener, type RuntimeConnection } from '../../runtime/src/protocol/peer';
import type { LoopBlockedMessage, LoopUnblockedMessage } from '../../runtime/src/protocol/watchdogWire';
import { here, lineOf, root, until } from './helpers';

const SPIN = join(here, 'programs', 'spin.ts');
const REGISTER = pathToFileURL(join(root, 'runtime/src/sites/register.ts')).href;
const RESUME_LINE = lineOf(SPIN, '@spin-resume');

let listener: DebuggerListener | null = null;
const children: ChildProcess[] = [];
afterEach(() => {
  listener?.close();
  listener = null;
  for (const c of children.splice(0)) c.kill();
});

function spin(env: Record<string, string>, ms = 1500) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', REGISTER, SPIN, String(ms)], {
    cwd: root,
    env: { ...process.env, LOOPSCOPE_CONNECT: '', LOOPSCOPE_LISTEN: '', LOOPSCOPE_SECRET: '', LOOPSCOPE_STOP_ON_ENTRY: '', LOOPSCOPE_BLOCKED_MS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { stdout: () => out, stderr: () => err, exit };
}

/** What a debugger hears from the watchdog, in order. */
function hear(conn: RuntimeConnection) {
  const heard: (LoopBlockedMessage | LoopUnblockedMessage)[] = [];
  conn.on('loopBlocked', (m) => heard.push(m));
  conn.on('loopUnblocked', (m) => heard.push(m));
  return heard;
}

function expectSpinner(all: (LoopBlockedMessage | LoopUnblockedMessage)[]): void {
  // A loaded machine may hold the main thread outside any task step (loading, a collection): such a
  // block names no task. Every block that names a task must name the spinner.
  const heard = all.filter((m) => m.taskId !== undefined);
  const blocked = heard.filter((m) => m.type === 'loopBlocked');
  // Said when it passes the threshold, then again a second later: the spin lasts 1.5 s.
  expect(blocked.length).toBeGreaterThanOrEqual(2);
  for (const m of blocked) {
    expect(m.taskName).toBe('spinner-1');
    expect(m.location?.file).toBe(SPIN);
    expect(m.location?.line).toBe(RESUME_LINE);
    expect(m.location?.function).toBe('spinner');
    expect(m.blockedMs).toBeGreaterThanOrEqual(200);
  }
  expect(blocked[1].blockedMs).toBeGreaterThan(blocked[0].blockedMs + 500);
  expect(blocked[0].taskId).toBeGreaterThan(0);
  const last = heard[heard.length - 1] as LoopUnblockedMessage;
  expect(last.type).toBe('loopUnblocked');
  expect(last.taskName).toBe('spinner-1');
  expect(last.taskId).toBe(blocked[0].taskId);
  expect(last.blockedMs).toBeGreaterThanOrEqual(1400);
  expect(heard.filter((m) => m.type === 'loopUnblocked')).toHaveLength(1);
  // The spinner's block is said while it lasts: every "blocked" before the one "unblocked".
  expect(heard.findIndex((m) => m.type === 'loopUnblocked')).toBe(heard.length - 1);
}

describe('blocked-loop watchdog', () => {
  it('launch: while a task spins the debugger hears "blocked" naming the task and the line it resumed at, every second, then "unblocked"', async () => {
    listener = await listenForRuntime();
    const p = spin(listener.env({ stopOnEntry: false }));
    const conn = await listener.accept(20000);
    const heard = hear(conn);
    await until(() => heard.some((m) => m.type === 'loopUnblocked' && m.taskName === 'spinner-1'), 20000, `"loopUnblocked" (heard ${JSON.stringify(heard)}; stderr ${p.stderr()})`);
    expect(await p.exit).toBe(0);
    expect(p.stdout()).toContain('spin done');
    expectSpinner(heard);
  }, 30000);

  it('attach: a debugger attached to a program waiting on entry hears the same', async () => {
    const secret = 'watchdog-attach-secret';
    const p = spin({ LOOPSCOPE_LISTEN: '127.0.0.1:0', LOOPSCOPE_SECRET: secret, LOOPSCOPE_STOP_ON_ENTRY: '1' });
    await until(() => /attach on 127\.0\.0\.1:(\d+)/.test(p.stderr()), 20000, 'the listening port on stderr');
    const port = Number(/attach on 127\.0\.0\.1:(\d+)/.exec(p.stderr())![1]);
    const conn = await attachToRuntime({ host: '127.0.0.1', port, secret });
    const heard = hear(conn);
    const entry = new Promise<void>((r) => conn.on('stopped', () => r()));
    await entry;
    await conn.request('resume', {});
    await until(() => heard.some((m) => m.type === 'loopUnblocked' && m.taskName === 'spinner-1'), 20000, `"loopUnblocked" (heard ${JSON.stringify(heard)}; stderr ${p.stderr()})`);
    expect(await p.exit).toBe(0);
    expectSpinner(heard);
  }, 30000);

  it('LOOPSCOPE_BLOCKED_MS=0 turns it off: the same spin is not reported', async () => {
    listener = await listenForRuntime();
    const p = spin({ ...listener.env({ stopOnEntry: false }), LOOPSCOPE_BLOCKED_MS: '0' });
    const conn = await listener.accept(20000);
    const heard = hear(conn);
    const closed = new Promise<void>((r) => conn.on('close', () => r()));
    expect(await p.exit).toBe(0);
    await closed;
    expect(p.stdout()).toContain('spin done');
    expect(heard).toEqual([]);
  }, 30000);
});
