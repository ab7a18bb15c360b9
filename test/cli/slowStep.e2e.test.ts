// Slow steps in the terminal inspector, end to end: the built CLI runs examples/slow-step.ts (one
// step parses a large JSON report) through the await-site transform and the runtime's agent, and
// lists the step under the tree in asyncio's words, with the lines it resumed and suspended at, in
// --dump, --json and the live view.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;
const cli = `${root}runtime/dist/cli.js`;
const example = `${root}examples/slow-step.ts`;
const lineOf = (text: string) => readFileSync(example, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const RESUMED = lineOf('yield* sleep(0); // the next piece arrives');
const SUSPENDED = lineOf('yield* sleep(10); // saving the total');
const SENTENCE = new RegExp(`Executing loader took (\\d+\\.\\d{3}) seconds \\(resumed at slow-step\\.ts:${RESUMED}, suspended at slow-step\\.ts:${SUSPENDED}\\)`);
// (50 ms: the parse takes longer on any machine.)
const ENV = { ...process.env, NO_COLOR: '1', LOOPSCOPE_SLOW_STEP_MS: '50' };

function loopscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  expect(RESUMED).toBeGreaterThan(0);
  expect(SUSPENDED).toBeGreaterThan(0);
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('loopscope run on a task that holds the loop in one step', () => {
  it('--dump: the slow step is listed under the tree with its task, duration and lines', async () => {
    const r = await loopscope(['run', '--dump', 'examples/slow-step.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('report total');
    const tree = r.stdout.slice(r.stdout.indexOf('loopscope · '));
    const lines = tree.split('\n').filter((l) => SENTENCE.test(l));
    expect(lines, tree).toHaveLength(1);
    expect(lines[0]).toMatch(/^⚠ slow step: Executing loader took/);
    expect(Number(SENTENCE.exec(lines[0]!)![1])).toBeGreaterThanOrEqual(0.05);
  }, 60_000);

  it('--json: slowSteps has the step with its task, lines, threshold and sentence', async () => {
    const r = await loopscope(['run', '--json', '--dump', 'examples/slow-step.ts']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const step = doc.slowSteps.find((s: { name: string; resumedAt?: { line: number } }) => s.name === 'loader' && s.resumedAt?.line === RESUMED);
    expect(step, JSON.stringify(doc.slowSteps)).toMatchObject({ thresholdMs: 50, resumedAt: { file: example, line: RESUMED, function: 'download' }, suspendedAt: { file: example, line: SUSPENDED, function: 'loader' } });
    expect(step.durationMs).toBeGreaterThanOrEqual(50);
    expect(step.message).toMatch(SENTENCE);
  }, 60_000);

  it.skipIf(!hasScript)('on a terminal: the live view shows the slow step under the tree', async () => {
    const out = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qfec', `${process.execPath} ${cli} run examples/slow-step.ts`, '/dev/null'], { cwd: root, env: ENV });
      let stdout = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.on('close', () => resolve(stdout));
    });
    const plain = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(plain).toMatch(new RegExp(`⚠ slow step: ${SENTENCE.source}`));
  }, 60_000);
});
