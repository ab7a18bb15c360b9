// Before the browser tests: build the webview bundle they load (so they never test a stale build),
// and check that Debian's Chromium is there (never a test tool's own download).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './harness/server';
import { CHROMIUM } from './helpers/browser';

export default function setup(): void {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), 'webview'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(join(repoRoot, 'dist', 'webview', 'main.js'))) throw new Error('browser tests: the build did not produce dist/webview/main.js');
  if (!existsSync(CHROMIUM)) {
    throw new Error(`browser tests: no Chromium at ${CHROMIUM}. Install Debian's package (node scripts/install-chromium.mjs, or apt-get install chromium); the tests never download a browser of their own.`);
  }
}
