/**
 * A debugger must never change the program it watches. Each program here runs twice, alone and
 * under the terminal inspector (`loopscope run --dump`, which connects the runtime's agent through a
 * real socket), and must print the same stdout and stderr and exit with the same code; the
 * inspector's own lines (its tree after the program's output, its `loopscope:` warnings) are the
 * only difference, and they may hold no raw control character. The programs (programs/hostile.mjs)
 * throw values whose every access path throws, values of every type, and name tasks with values of
 * every type. Before the fixes an Error with a null-prototype message crashed the program under the
 * inspector only, and `throw null` or a revoked Proxy hung run().
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const program = 'test/reliability/programs/hostile.mjs';
/** A program that has not ended by then hangs: killed, and the test fails saying so. */
const KILL_AFTER_MS = 10_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

function runNode(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    // NO_COLOR: the inspector's tree in plain text. The same environment for both runs.
    // detached: its own process group, so that a hang kills the inspector and the program it started.
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' }, detached: true });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, KILL_AFTER_MS);
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** The program alone: as the inspector starts it (source maps on), without the inspector. */
const alone = (name: string) => runNode(['--enable-source-maps', program, name]);
const underInspector = (name: string) => runNode(['runtime/dist/cli.js', 'run', '--dump', program, name]);

// eslint-disable-next-line no-control-regex -- what must not reach the terminal raw
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Runs `name` both ways and asserts the program could not tell. */
async function expectSameProgram(name: string): Promise<{ tree: string }> {
  const [a, d] = await Promise.all([alone(name), underInspector(name)]);
  expect(a.killed, `${name} alone did not end within ${KILL_AFTER_MS} ms`).toBe(false);
  expect(d.killed, `${name} under the inspector did not end within ${KILL_AFTER_MS} ms`).toBe(false);
  // --dump: the program's stdout passes through, then the inspector prints its tree.
  const header = d.stdout.indexOf('loopscope · ');
  expect(header, `no tree printed for ${name}; stderr:\n${d.stderr}`).toBeGreaterThanOrEqual(0);
  expect(d.stdout.slice(0, header)).toBe(a.stdout);
  const ownLine = /^loopscope: .*\n/gm;
  expect(d.stderr.replace(ownLine, '')).toBe(a.stderr);
  expect(d.code).toBe(a.code);
  const tree = d.stdout.slice(header);
  const own = tree + (d.stderr.match(ownLine) ?? []).join('');
  expect(own).not.toMatch(RAW_CONTROL);
  return { tree };
}

beforeAll(() => {
  // The program imports runtime/dist and the inspector is runtime/dist/cli.js: build both from the sources now.
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('the same program alone and under the terminal inspector', () => {
  it('values of every type thrown through every combinator, and left unretrieved', async () => {
    const { tree } = await expectSameProgram('combinators');
    // Each kind's task failed and was reported, however unreadable its value.
    expect(tree).toContain('forgotten-revokedProxy');
    expect(tree).toContain('<unreadable: ');
  }, 30_000);

  it('names of every type: Symbol, number, object, null, empty, 10,000 characters, control characters', async () => {
    const { tree } = await expectSameProgram('names');
    expect(tree).toContain('Symbol(sym-name)');
    expect(tree).toContain('ctl\\x1b[2J\\x1b]0;title\\x07\\nnext\\rrow\\t\\u202eend');
    expect(tree).toContain('n'.repeat(10_000));
  }, 30_000);

  it('results of every type, hostile objects included', async () => {
    const { tree } = await expectSameProgram('results');
    expect(tree).toMatch(/exited with code 0/);
  }, 30_000);

  it('cancel messages of every type, hostile objects included', async () => {
    const { tree } = await expectSameProgram('cancelMessages');
    expect(tree).toContain('cancelled by Task-1 ("ctl\\u001b[2J\\u001b]0;title');
    expect(tree).toContain('cancelled by Task-1 ("<unreadable: TypeError: Cannot perform \'get\' on a proxy that has been revoked>")');
  }, 30_000);

  it('resources (Lock, Queue, Event) named with values of every type, BigInt and hostile objects included', async () => {
    const { tree } = await expectSameProgram('resourceNames');
    expect(tree).toMatch(/exited with code 0/);
  }, 30_000);

  // The main task fails: run() rejects, the program reports it and exits 2, and the inspector says why.
  it.each([
    'errorGetters',
    'nullPrototypeMessage',
    'nullPrototypeObject',
    'throwingToString',
    'proxyTraps',
    'revokedProxy',
    'null',
    'undefined',
    'symbol',
    'bigint',
  ])('main fails with %s', async (kind) => {
    await expectSameProgram(`main-${kind}`);
  }, 30_000);
});
