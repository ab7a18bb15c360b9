// The README's quick start as a new user meets it: the `loopscope` package is packed from a fresh
// copy of the sources (no runtime/dist: `npm pack` must build it), installed from the tarball into an
// empty folder outside the repository, and the README's main.ts runs under `npx loopscope run`.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'loopscope-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/**
 * The environment of a user's shell: none of the variables npm sets for the script running this test
 * (its package, its prefix), and no PATH entry inside the repository, so `npx loopscope` can only find
 * the installed package, never the workspace's own link to runtime/.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_command$|npm_config_local_prefix$|npm_config_call$|INIT_CWD$)/i.test(k)) continue;
    env[k] = v;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = (env[pathKey] ?? '')
    .split(delimiter)
    .filter((p) => p && !resolve(p).startsWith(root + sep) && resolve(p) !== root)
    .join(delimiter);
  return env;
}

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8', timeout: 120_000, shell: process.platform === 'win32' });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} did not run: ${r.error.message}`);
  return r;
}

function must(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The README's quick-start program, exactly as the README shows it. */
function quickStartProgram(): string {
  const m = /```ts\n(\/\/ main\.ts\n[\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```ts block starting with "// main.ts" (the quick start)');
  return m[1];
}

/** The README's command that runs the quick start in the terminal inspector. */
function quickStartCommand(): string[] {
  const m = /`(npx loopscope run [^`]*main\.ts)`/.exec(readme);
  if (!m) throw new Error('README.md does not say how to run main.ts (`npx loopscope run ... main.ts`)');
  return m[1].split(/\s+/);
}

/**
 * A fresh clone as far as `npm pack` in runtime/ can tell: the root package.json, the build script,
 * the runtime's package.json and sources; node_modules is the repository's (as after `npm install`).
 * No runtime/dist: the pack must build it.
 */
function freshClone(): string {
  const clone = join(work, 'clone');
  mkdirSync(join(clone, 'runtime'), { recursive: true });
  cpSync(join(root, 'package.json'), join(clone, 'package.json'));
  cpSync(join(root, 'scripts', 'build.mjs'), join(clone, 'scripts', 'build.mjs'));
  cpSync(join(root, 'runtime', 'package.json'), join(clone, 'runtime', 'package.json'));
  cpSync(join(root, 'runtime', 'src'), join(clone, 'runtime', 'src'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'junction');
  return clone;
}

let user = '';

beforeAll(() => {
  const clone = freshClone();
  const packs = join(work, 'packs');
  mkdirSync(packs);
  must(sh(npm, ['pack', '--pack-destination', packs], join(clone, 'runtime')), 'npm pack in runtime/');
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toEqual(['loopscope-0.1.0.tgz']);

  user = join(work, 'user');
  mkdirSync(user);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'quick-start', private: true }, null, 2));
  writeFileSync(join(user, 'main.ts'), quickStartProgram());
  // tsx, the package's one dependency, comes from npm's cache when it is there, else the registry.
  must(sh(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(packs, tarballs[0])], user), 'npm install of the tarball');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed loopscope package, installed into an empty folder', () => {
  it('is a real copy with its bundles, not a link into the repository', () => {
    const pkg = join(user, 'node_modules', 'loopscope');
    expect(lstatSync(pkg).isSymbolicLink()).toBe(false);
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/cli.js', 'src/index.ts']) expect(existsSync(join(pkg, f)), f).toBe(true);
  });

  it("runs the README's main.ts with the README's command: the workers and the queue's end", () => {
    const [cmd, ...args] = quickStartCommand();
    expect(cmd).toBe('npx');
    const r = sh(npx, args, user);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/loopscope · main\.ts · .* · 4 tasks: 3 cancelled, 1 done · exited with code 0/);
    expect(r.stdout).toMatch(/^Task-1 #\d+ done/m);
    expect(r.stdout).toMatch(/× 3 worker cancelled/);
  }, 60_000);

  it('--json --dump: the three workers under the main task, each having run more than one step, and the queue', () => {
    const r = sh(npx, ['loopscope', 'run', '--json', '--dump', '--all', 'main.ts'], user);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tree).toHaveLength(1);
    const [main] = doc.tree;
    expect(main.name).toBe('Task-1');
    expect(main.children.map((c: { name: string; state: string }) => `${c.name} ${c.state}`)).toEqual([
      'worker-0 cancelled',
      'worker-1 cancelled',
      'worker-2 cancelled',
    ]);
    // More than one step: each worker got past its first suspension (its first `jobs.get()`).
    for (const t of doc.tasks.filter((t: { name: string }) => t.name.startsWith('worker-'))) expect(t.steps, t.name).toBeGreaterThan(1);
    // The queue is listed while tasks wait on it; whether a batch saw the workers on it before the
    // run ended and cancelled them depends on timing (under load it did not), so only what is listed is checked.
    for (const q of doc.resources) expect(`${q.kind} ${q.name}`).toBe('queue jobs');
  }, 60_000);

  it('loopscope --version reads the installed package', () => {
    const r = sh(npx, ['loopscope', '--version'], user);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('loopscope 0.1.0');
  });
});
