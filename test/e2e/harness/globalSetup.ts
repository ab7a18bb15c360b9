/**
 * Once per e2e run: build and package the extension (.vsix), make sure code-server and Chromium are
 * installed (each script is idempotent), and hand their paths to the test files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { VSCodePaths } from './codeServer';

const root = fileURLToPath(new URL('../../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    vsix: string;
    vscode: VSCodePaths;
    resultsDir: string;
  }
}

function node(script: string, args: string[] = []): string {
  try {
    return execFileSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  } catch (err) {
    const e = err as { status?: number; stdout?: string };
    throw new Error(`e2e setup: node scripts/${script} ${args.join(' ')} failed (exit ${e.status}):\n${e.stdout ?? ''}`);
  }
}

export default function setup(project: TestProject): void {
  const resultsDir = join(root, 'test-results', 'e2e');
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  node('install-chromium.mjs');
  const vscode = JSON.parse(node('install-vscode.mjs', ['--json']).trim().split('\n').pop()!) as VSCodePaths;
  const vsix = join(resultsDir, 'loopscope-e2e.vsix');
  node('package.mjs', ['--out', vsix]);
  project.provide('vsix', vsix);
  project.provide('vscode', vscode);
  project.provide('resultsDir', resultsDir);
}
