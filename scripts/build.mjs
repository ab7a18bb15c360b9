// Builds every bundle of the project with esbuild. `node scripts/build.mjs [--watch] [name...]`.
// Each target is built only when its entry file exists, so the build stays green while parts are added.
// Names pick targets whose output path contains them (`node scripts/build.mjs webview`: only the
// Task Inspector's bundle and assets, which the browser tests build before they run).
import { build, context } from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, sep } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = (p) => join(root, p);
const watch = process.argv.includes('--watch');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// Compared with '/' on every platform, so a name like `runtime/dist` (runtime/package.json's prepack) picks the same on Windows.
const picked = (outfile) => only.length === 0 || only.some((name) => outfile.slice(root.length).split(sep).join('/').includes(name));

// ESM bundles of code that require()s Node's modules (esbuild's CommonJS shims need a require).
const ESM_REQUIRE = 'import { createRequire as __loopscopeCreateRequire } from "node:module"; const require = __loopscopeCreateRequire(import.meta.url);';

const node = { platform: 'node', target: 'node20', bundle: true, sourcemap: true, logLevel: 'warning' };

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The runtime users import as `loopscope`: ESM and CommonJS builds of one source.
  { ...node, entryPoints: [r('runtime/src/index.ts')], outfile: r('runtime/dist/index.js'), format: 'esm' },
  { ...node, entryPoints: [r('runtime/src/index.ts')], outfile: r('runtime/dist/index.cjs'), format: 'cjs' },
  // `--import loopscope/register`: the load-time await-site transform (main thread and loader hooks).
  { ...node, entryPoints: [r('runtime/src/sites/register.ts')], outfile: r('runtime/dist/register.mjs'), format: 'esm', banner: { js: ESM_REQUIRE } },
  { ...node, entryPoints: [r('runtime/src/sites/registerHooks.ts')], outfile: r('runtime/dist/register-hooks.mjs'), format: 'esm', banner: { js: ESM_REQUIRE } },
  // … and a copy next to the debug adapter (dist/), which the extension ships and the adapter loads into programs.
  { ...node, entryPoints: [r('runtime/src/sites/register.ts')], outfile: r('dist/register.mjs'), format: 'esm', banner: { js: ESM_REQUIRE } },
  { ...node, entryPoints: [r('runtime/src/sites/registerHooks.ts')], outfile: r('dist/register-hooks.mjs'), format: 'esm', banner: { js: ESM_REQUIRE } },
  // The terminal inspector (`loopscope run program.ts`).
  {
    ...node,
    entryPoints: [r('runtime/src/cli/main.ts')],
    outfile: r('runtime/dist/cli.js'),
    format: 'esm',
    banner: { js: '#!/usr/bin/env node\nimport { createRequire as __loopscopeCreateRequire } from "node:module"; const require = __loopscopeCreateRequire(import.meta.url);' },
  },
  // The debug adapter, standalone (`node dist/debugAdapter.js [--server=PORT]`).
  { ...node, entryPoints: [r('adapter/src/debugAdapter.ts')], outfile: r('dist/debugAdapter.js'), format: 'cjs' },
  // The VS Code extension (the adapter runs inline in it).
  { ...node, entryPoints: [r('extension/src/extension.ts')], outfile: r('dist/extension.js'), format: 'cjs', external: ['vscode'] },
  // The Task Inspector webview, for the browser.
  {
    platform: 'browser',
    target: 'es2022',
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: [r('webview/src/main.ts')],
    outfile: r('dist/webview/main.js'),
    format: 'iife',
    loader: { '.css': 'css' },
  },
].filter((t) => existsSync(t.entryPoints[0]) && picked(t.outfile));

// A name that picks nothing is a mistake (a typo, a moved output): building nothing would let `npm pack` ship no bundles.
if (only.length > 0 && targets.length === 0) {
  console.error(`build: no bundle's output path contains ${only.map((n) => `'${n}'`).join(' or ')}`);
  process.exit(1);
}

function copyAssets() {
  // Codicons' font and stylesheet ship with the webview (the CSP allows only the extension's own files).
  const codicons = r('node_modules/@vscode/codicons/dist');
  if (!picked(r('dist/webview/main.js'))) return;
  if (existsSync(r('webview/src/main.ts')) && existsSync(codicons)) {
    mkdirSync(r('dist/webview'), { recursive: true });
    cpSync(join(codicons, 'codicon.css'), r('dist/webview/codicon.css'));
    cpSync(join(codicons, 'codicon.ttf'), r('dist/webview/codicon.ttf'));
  }
  if (existsSync(r('webview/src/style.css'))) cpSync(r('webview/src/style.css'), r('dist/webview/style.css'));
}

if (watch) {
  for (const t of targets) await (await context(t)).watch();
  copyAssets();
  console.log(`watching ${targets.length} bundles`);
} else {
  const t0 = Date.now();
  await Promise.all(targets.map((t) => build(t)));
  copyAssets();
  console.log(`built ${targets.length} bundles in ${Date.now() - t0} ms`);
}
