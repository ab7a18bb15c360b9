/**
 * The same programs as transparency.test.ts under the debug adapter, stopping at every failed task,
 * every cancelled task and every unretrieved exception (each stop describes the error: the agent
 * reads the hostile value there too) and continuing each time: the program must print what it
 * prints alone and exit with the same code. Before the fixes, an Error with a null-prototype
 * message crashed it (exit 1).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startSession, launchWith, type Session } from '../adapter/harness';

const program = join(ROOT, 'test/reliability/programs/hostile.mjs');

function alone(name: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', program, name], { cwd: ROOT });
    let stdout = '';
    // A program that hangs alone is killed: the comparison then fails on the exit code (null).
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.on('data', (c) => (stdout += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

let session: Session | null = null;
afterEach(async () => {
  await session?.dc.stop();
  session = null;
});

beforeAll(() => {
  // The program imports runtime/dist: build it from the sources now.
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'runtime/dist'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('the same program alone and under the debug adapter', () => {
  it.each(['combinators', 'main-nullPrototypeMessage', 'main-revokedProxy', 'cancelMessages', 'resourceNames'])(
    '%s, stopping at every failure and cancellation',
    async (name) => {
      const expected = await alone(name);
      const s = (session = await startSession());
      const stops: string[] = [];
      // Continue from every stop as it comes; the stop's description is what the agent made of the error.
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => {
        stops.push(e.body.description ?? e.body.reason);
        s.dc.continueRequest({ threadId: e.body.threadId ?? 0 }).catch(() => undefined);
      });
      const exited = s.dc.waitForEvent('exited', 30_000);
      await launchWith(s, { program, args: [name], cwd: ROOT, jsDebug: false, connectTimeout: 15 }, { filters: [{ filterId: 'taskFailed' }, { filterId: 'taskCancelled' }, { filterId: 'unretrievedException' }] });
      const code = (await exited).body.exitCode;
      expect(code, s.output()).toBe(expected.code);
      // Every line the program printed reached the debug console, in order.
      await s.waitForOutput(/exited with code/);
      const out = s.output();
      let from = 0;
      for (const line of expected.stdout.split('\n').filter(Boolean)) {
        const at = out.indexOf(line, from);
        expect(at, `"${line}" missing from the debug console after offset ${from}:\n${out}`).toBeGreaterThanOrEqual(0);
        from = at + line.length;
      }
      if (name !== 'resourceNames') expect(stops.length).toBeGreaterThan(0);
    },
    60_000,
  );
});
