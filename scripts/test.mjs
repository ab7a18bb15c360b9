// `npm test`: everything, in order — build, typecheck, unit tests, browser tests, then the end-to-end
// suite in a real VS Code. Each stage installs what it needs through the project's own scripts.
// Ends with one line "N passed, N failed" over all suites.
//   --quick      build, typecheck and unit tests only (for development)
//   --no-e2e     skip the real-VS Code suite
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const noE2e = quick || args.has('--no-e2e') || process.env.LOOPSCOPE_SKIP_E2E === '1';
const reports = join(root, 'test-results', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function sh(label, cmd, argv, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' }, ...opts });
  const ok = r.status === 0;
  console.log(`=== ${label}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok;
}

function vitest(label, config) {
  const out = join(reports, `${label}.json`);
  const argv = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
  if (config) argv.push('-c', config);
  const ok = sh(`${label} tests`, 'npx', argv);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (!ok && r.numFailedTests === 0) failures.push(`${label}: the runner failed (see above)`);
  } else if (!ok) failures.push(`${label}: no report (the runner failed to start)`);
  if (!ok) failures.push(`${label} tests`);
  return ok;
}

const stages = [
  () => sh('build', 'node', ['scripts/build.mjs']) || (failures.push('build'), false),
  () => sh('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) || (failures.push('typecheck'), false),
  () => sh('typecheck examples', 'npx', ['tsc', '-p', 'examples/tsconfig.json']) || (failures.push('typecheck examples'), false),
  () => vitest('unit'),
];
const installChromium = () => sh('install Chromium (Debian)', 'node', ['scripts/install-chromium.mjs']) || (failures.push('install-chromium'), false);
if (!quick && existsSync(join(root, 'vitest.browser.config.mts'))) {
  stages.push(installChromium);
  stages.push(() => vitest('browser', 'vitest.browser.config.mts'));
}
if (!noE2e && existsSync(join(root, 'vitest.e2e.config.mts'))) {
  if (!existsSync(join(root, 'vitest.browser.config.mts'))) stages.push(installChromium); // else installed for the browser stage
  stages.push(() => sh('install a real VS Code (code-server)', 'node', ['scripts/install-vscode.mjs']) || (failures.push('install-vscode'), false));
  stages.push(() => vitest('e2e', 'vitest.e2e.config.mts'));
}

for (const stage of stages) stage();

console.log('\n=== summary ===');
if (failures.length) console.log(`failed stages: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failures.length || failed ? 1 : 0);
