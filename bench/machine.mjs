// The machine facts printed with every result: a benchmark number means nothing without them.
import { cpus, totalmem, platform, release, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function pythonVersion() {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function packageVersion(name) {
  try {
    // Not require.resolve('x/package.json'): packages with an `exports` map (effection) hide it.
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The 1-minute load average: other work on the machine skews every number, so it is recorded with them. */
export function load1() {
  return Math.round(loadavg()[0] * 100) / 100;
}

export function machineFacts() {
  const c = cpus();
  return {
    cpu: c[0]?.model?.trim() ?? 'unknown',
    cores: c.length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    python: pythonVersion(),
    effection: packageVersion('effection'),
  };
}
