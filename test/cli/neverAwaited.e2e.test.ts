// Never-awaited coroutines in the terminal inspector, end to end: the built CLI runs
// examples/forgotten.ts (a `yield*` forgotten in each worker) through the await-site transform and
// the runtime's agent, and warns about the coroutine with its name and line, once, in --dump,
// --json and the live view.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;
const cli = `${root}runtime/dist/cli.js`;
const example = `${root}examples/forgotten.ts`;
/** The line of the forgotten `yield*`, read from the example itself. */
const line = readFileSync(example, 'utf8').split('\n').findIndex((l) => l.includes('saveResult(job, job * job); // ← bug')) + 1;
const warning = `coroutine 'saveResult' was never awaited (forgotten.ts:${line}): call it with yield* or pass it to createTask`;

function loopscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  expect(line).toBeGreaterThan(0);
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('loopscope run on a forgotten yield*', () => {
  it('--dump: the program saved nothing, and the warning names the coroutine and its line, once', async () => {
    const r = await loopscope(['run', '--dump', 'examples/forgotten.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('saved 0 of 3 results');
    const tree = r.stdout.slice(r.stdout.indexOf('loopscope · '));
    // Three workers made the coroutine at the same line: one warning.
    expect(tree.split('\n').filter((l) => l.includes('was never awaited'))).toEqual([`⚠ ${warning}`]);
  }, 60_000);

  it('--json: neverAwaited lists the call site with its function and message', async () => {
    const r = await loopscope(['run', '--json', '--dump', 'examples/forgotten.ts']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.neverAwaited).toEqual([{ name: 'saveResult', location: { file: example, line, column: 3, function: 'worker' }, message: warning }]);
  }, 60_000);

  it.skipIf(!hasScript)('on a terminal: the live view shows the warning under the tree', async () => {
    const out = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qfec', `${process.execPath} ${cli} run examples/forgotten.ts`, '/dev/null'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('close', () => resolve(stdout));
    });
    const plain = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(plain).toContain(`⚠ ${warning}`);
  }, 60_000);
});
