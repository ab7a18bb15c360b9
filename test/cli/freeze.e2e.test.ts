// `loopscope run --freeze <glob>`: matching tasks are frozen as they are created, the tree says so,
// a task waiting on a frozen one is "stuck because frozen", and frozen tasks are thawed (with a
// line saying so) once nothing else can run: on examples/race.ts, the other order's outcome.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}runtime/dist/cli.js`;

/** Runs `loopscope ...args`; one that has not ended after 40 s is killed and its output returned (code null), to be seen in the failure. */
function loopscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const limit = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr: `${stderr}\n(stdout: ${stdout})` });
    });
  });
}

beforeAll(() => {
  // The examples import `loopscope` from runtime/dist, and the CLI is runtime/dist/cli.js: build both now.
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 120_000);

describe('loopscope run --freeze', () => {
  it('race.ts alone loses a deposit; with --freeze deposit-b, deposit-a goes first and deposit-b, thawed when nothing else can run, counts', async () => {
    const plain = await loopscope(['run', '--dump', 'examples/race.ts']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('balance: 1 (a deposit was lost)');

    const r = await loopscope(['run', '--dump', '--freeze', 'deposit-b', 'examples/race.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/deposit-a wrote 1\n[\s\S]*deposit-b wrote 2\n[\s\S]*balance: 2 \(both deposits counted\)/);
    expect(r.stderr).toMatch(/^loopscope: thawed deposit-b \(#\d+\): nothing else could run$/m);
  }, 60_000);

  it('a frozen task stays frozen while others run: the tree shows it frozen and main stuck because of it (--stuck-after)', async () => {
    const r = await loopscope(['run', '--dump', '--stuck-after', '800', '--freeze', 'work*', 'test/cli/fixtures/frozenWorker.ts']);
    expect(r.code, r.stderr).toBe(3);
    const tree = r.stdout.slice(r.stdout.indexOf('loopscope · '));
    expect(tree).toMatch(/^Task-1 #\d+ suspended .*: task worker {2}✖ stuck because frozen: worker is frozen$/m);
    expect(tree).toMatch(/^[├└]─ worker #\d+ ❄ frozen, ready/m);
    expect(tree).toMatch(/^[├└]─ alarm #\d+ suspended .*: sleep 1 min 0 s/m);
    expect(tree).toContain('✖ 1 stuck task: Task-1 (stuck because frozen: worker is frozen)');
    expect(r.stdout).not.toContain('worked');
  }, 60_000);

  it('the fixture alone finishes at once (the worker is what --freeze holds back)', async () => {
    const r = await loopscope(['run', '--dump', 'test/cli/fixtures/frozenWorker.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('worked');
  }, 60_000);

  it('--help says how frozen tasks are thawed', async () => {
    const r = await loopscope(['--help']);
    expect(r.stdout).toContain('--freeze <glob>');
    expect(r.stdout).toMatch(/frozen tasks are thawed when nothing else can run/);
  });
});
