/**
 * The errors a user meets when starting a session: the program does not exist, it crashes, it never
 * loads the runtime, its runtime speaks another protocol version. Each says what happened, and the
 * session ends (or stays) cleanly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PROGRAMS, startSession, type Session } from './harness';

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

describe('launch errors', () => {
  it('refuses a missing program with a clear message and starts nothing', async () => {
    s = await startSession();
    const missing = join(PROGRAMS, 'does-not-exist.ts');
    await expect(s.dc.launch({ program: missing, jsDebug: false })).rejects.toThrow(`Cannot launch: the program ${missing} does not exist`);
    expect(s.output()).not.toMatch(/exited/);
  });

  it('refuses a launch configuration without a program', async () => {
    s = await startSession();
    await expect(s.dc.launch({ jsDebug: false })).rejects.toThrow("The launch configuration has no 'program'");
  });

  it('refuses a file that is neither TypeScript nor JavaScript', async () => {
    s = await startSession();
    await expect(s.dc.launch({ program: join(PROGRAMS, 'tsconfig.json'), jsDebug: false })).rejects.toThrow(/Loopscope runs \.ts and \.js programs \(got \.json\)/);
  });

  it('says when the Node executable does not exist', async () => {
    s = await startSession();
    await expect(s.dc.launch({ program: join(PROGRAMS, 'no-runtime.js'), runtimeExecutable: '/nonexistent/node', jsDebug: false })).rejects.toThrow(
      /the Node executable "\/nonexistent\/node" was not found/,
    );
  });

  it('shows a crashing program\'s exit code and ends the session', async () => {
    s = await startSession();
    const terminated = s.dc.waitForEvent('terminated');
    const exited = s.dc.waitForEvent('exited');
    await s.dc.launch({ program: join(PROGRAMS, 'exit-code.js'), env: { EXIT_CODE: '7' }, jsDebug: false });
    await s.dc.configurationDoneRequest();
    expect((await exited).body.exitCode).toBe(7);
    await terminated;
    expect(s.output()).toContain('exit-code: about to fail');
    expect(s.output()).toContain('The program exited with code 7.');
  });

  it('says when the program never loads the runtime, keeps it running and its output flowing', async () => {
    s = await startSession();
    const terminated = s.dc.waitForEvent('terminated', 20_000);
    await s.dc.launch({ program: join(PROGRAMS, 'no-runtime.js'), connectTimeout: 0.5, env: { NO_RUNTIME_MS: '4000' }, jsDebug: false });
    await s.dc.configurationDoneRequest();
    await s.waitForOutput(/has not loaded the Loopscope runtime after 0\.5 s/);
    expect(s.output()).not.toContain('no-runtime: done');
    const status = await s.waitForCustom('loopscope/status', (b) => b.state === 'noRuntime');
    expect(status.message).toMatch(/not loaded the Loopscope runtime/);
    // The session is alive: threads answer (with the loop's placeholder) and the program's output still arrives.
    const threads = await s.dc.threadsRequest();
    expect(threads.body.threads.map((t) => t.name)).toEqual(['event loop (waiting for the program to load the Loopscope runtime)']);
    await s.waitForOutput(/no-runtime: done/);
    await terminated;
    expect(s.output()).toContain('The program exited with code 0.');
  });

  it("shows the runtime's protocol version mismatch", async () => {
    s = await startSession();
    await s.dc.launch({ program: join(PROGRAMS, 'wrong-protocol.mjs'), jsDebug: false });
    await s.dc.configurationDoneRequest();
    const text = await s.waitForOutput(/speaks another protocol version/);
    expect(text).toMatch(/protocol version 99 is not supported; this debugger speaks 1/);
    // The refused program heard why, too.
    await s.waitForOutput(/wrong-protocol: the debugger answered .*version-mismatch/);
  });

  it('refuses bad option values', async () => {
    s = await startSession();
    await expect(s.dc.launch({ program: join(PROGRAMS, 'no-runtime.js'), maxThreads: 0, jsDebug: false })).rejects.toThrow("'maxThreads' must be a positive whole number");
  });
});

describe('attach errors', () => {
  it('says nothing listens at the address', async () => {
    s = await startSession();
    await s.dc.initializeRequest();
    await expect(s.dc.attachRequest({ port: 1, secret: 'x' } as never)).rejects.toThrow(/Cannot attach to the program at 127\.0\.0\.1:1: could not connect/);
  });
});
