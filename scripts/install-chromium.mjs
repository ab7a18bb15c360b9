// Makes sure Debian's Chromium is at /usr/bin/chromium, for the browser and end-to-end tests
// (Playwright drives it; no test tool downloads a browser of its own). Idempotent: returns at once when present.
//   node scripts/install-chromium.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';

function fail(msg) {
  console.error(`install-chromium: ${msg}`);
  process.exit(1);
}

function runApt(argv) {
  const asRoot = process.getuid?.() === 0;
  const [cmd, pre] = asRoot ? ['apt-get', []] : ['sudo', ['-n', 'apt-get']];
  console.log(`install-chromium: ${asRoot ? '' : 'sudo '}apt-get ${argv.join(' ')}`);
  const r = spawnSync(cmd, [...pre, ...argv], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status === 0;
}

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    fail(`${CHROMIUM} is missing and this is not a Debian-like system with apt-get; install Chromium so that ${CHROMIUM} exists.`);
  }
  if (process.getuid?.() !== 0 && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    fail(`${CHROMIUM} is missing and this user can neither run apt-get (not root) nor sudo without a password. Install it with:\n  sudo apt-get update && sudo apt-get install -y chromium`);
  }
  if (!runApt(['update'])) fail('apt-get update failed (see above); Chromium was not installed.');
  if (!runApt(['install', '-y', 'chromium'])) fail('apt-get install -y chromium failed (see above).');
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} is still missing.`);
  return CHROMIUM;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureChromium();
  const v = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  console.log(`install-chromium: ${(v.stdout || '').trim() || CHROMIUM} ready`);
}
