// `npm run package`: builds the bundles, then packs the extension with @vscode/vsce into
// loopscope-<version>.vsix at the repo root (or the path given by --out). The root package.json is the
// manifest; .vscodeignore keeps the .vsix to dist/ plus README, CHANGELOG, LICENSE and images.
// Bundles carry their dependencies, so vsce runs with --no-dependencies (no node_modules inside).
//   node scripts/package.mjs [--out FILE] [--no-build]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(msg) {
  throw new Error(`package: ${msg}`);
}

function step(label, cmd, argv) {
  console.log(`package: ${label}`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.error) fail(`${label}: could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${label} failed (exit ${r.status ?? r.signal})`);
}

/** Builds (unless told not to) and packs; returns the .vsix's absolute path. */
export function packageExtension({ out, build = true } = {}) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = resolve(root, out ?? `loopscope-${manifest.version}.vsix`);
  if (build) step('building', process.execPath, [join(root, 'scripts', 'build.mjs')]);
  // The inspector's page is needed once its sources exist (build.mjs skips targets whose entry is missing).
  const needed = [manifest.main.replace(/^\.\//, '')];
  if (existsSync(join(root, 'webview', 'src', 'main.ts'))) needed.push('dist/webview/main.js');
  // The adapter loads the await-site transform into programs from next to itself.
  if (existsSync(join(root, 'runtime', 'src', 'sites', 'register.ts'))) needed.push('dist/register.mjs', 'dist/register-hooks.mjs');
  for (const f of needed) {
    if (!existsSync(join(root, f))) fail(`${f} is missing after the build; the extension would not run without it.`);
  }
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) fail(`@vscode/vsce is not installed (${vsce}); run npm install first.`);
  // No repository URL is published yet: allow that, and keep README's relative links (images ship inside).
  step(`vsce package -> ${vsix}`, process.execPath, [
    vsce,
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--out',
    vsix,
  ]);
  if (!existsSync(vsix)) fail(`vsce finished but ${vsix} is missing`);
  return vsix;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  if (outAt >= 0 && !argv[outAt + 1]) {
    console.error('package: --out needs a file name');
    process.exit(2);
  }
  try {
    const vsix = packageExtension({ out: outAt >= 0 ? argv[outAt + 1] : undefined, build: !argv.includes('--no-build') });
    console.log(`package: ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
