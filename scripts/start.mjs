// `npm start`: the main job in one command. Builds everything, packages the extension, installs a real
// VS Code (code-server) if needed, installs Loopscope into it, and serves it with examples/ open on
// 127.0.0.1 (port $PORT or 8080, else a free one). Prints the URL; runs until Ctrl-C.
// User data and extensions live in ~/.cache/loopscope/start/ ($LOOPSCOPE_CACHE/start), kept between runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVSCode } from './install-vscode.mjs';
import { packageExtension } from './package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');

function fail(msg) {
  console.error(`\nnpm start: ${msg}`);
  process.exit(1);
}

/** Resolves to `port` if it can be bound on 127.0.0.1, else to a free port the system picks. */
function choosePort(port) {
  const tryListen = (p) =>
    new Promise((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(p, '127.0.0.1', () => {
        const got = srv.address().port;
        srv.close(() => resolve(got));
      });
    });
  return tryListen(port).then(async (p) => {
    if (p !== undefined) return p;
    const other = await tryListen(0);
    console.log(`start: port ${port} is taken; using ${other} instead`);
    return other;
  });
}

const requested = process.env.PORT ? Number(process.env.PORT) : 8080;
if (!Number.isInteger(requested) || requested < 1 || requested > 65535) fail(`PORT=${process.env.PORT} is not a port number (1-65535).`);

// The examples import `loopscope`, this repo's npm workspace package: `npm install` links it.
if (!existsSync(join(root, 'node_modules', 'loopscope', 'package.json'))) {
  fail(`examples/ cannot resolve 'loopscope' (node_modules/loopscope is missing). Run \`npm install\` at ${root} first.`);
}

let vsix;
try {
  vsix = packageExtension(); // builds runtime/dist too, which the examples import
} catch (err) {
  fail(err.message);
}

let vscode;
try {
  vscode = await ensureVSCode();
} catch (err) {
  fail(err.message);
}

const home = join(vscode.cache, 'start');
const userDataDir = join(home, 'user-data');
const extensionsDir = join(home, 'extensions');
const settingsFile = join(userDataDir, 'User', 'settings.json');
mkdirSync(dirname(settingsFile), { recursive: true });
mkdirSync(extensionsDir, { recursive: true });
// Quiet defaults the first time only: later the user's own changes are kept.
if (!existsSync(settingsFile)) {
  writeFileSync(
    settingsFile,
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off' }, null, 2) + '\n',
  );
}
const env = { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };

console.log(`start: installing ${vsix} into code-server`);
const inst = spawnSync(vscode.node, [vscode.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
  encoding: 'utf8',
  env,
});
if (inst.status !== 0) fail(`code-server could not install the extension (exit ${inst.status ?? inst.signal}):\n${inst.stdout}${inst.stderr}`);

const port = await choosePort(requested);
// Slashes left readable in the printed URL; anything else unusual in the path is encoded.
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples).replace(/%2F/gi, '/')}`;
const child = spawn(
  vscode.node,
  [
    vscode.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    examples,
  ],
  { env, stdio: ['ignore', 'pipe', 'pipe'] },
);
let announced = false;
const relay = (stream) => (chunk) => {
  stream.write(chunk);
  if (!announced && chunk.toString().includes('HTTP server listening on')) {
    announced = true;
    const bar = '='.repeat(Math.max(60, url.length + 4));
    console.log(`\n${bar}\n  Loopscope in VS Code is ready. Open in a browser:\n\n  ${url}\n\n  (Run and Debug -> pick an example -> Start. Ctrl-C here stops it.)\n${bar}\n`);
  }
};
child.stdout.on('data', relay(process.stdout));
child.stderr.on('data', relay(process.stderr));

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstart: stopping code-server');
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
child.on('exit', (code, signal) => {
  if (!stopping) console.error(`start: code-server exited (${signal ?? `exit ${code}`})`);
  process.exit(stopping ? 0 : code || 1);
});
