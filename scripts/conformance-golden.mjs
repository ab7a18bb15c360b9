#!/usr/bin/env node
// Regenerates test/runtime/conformance/golden.json: runs the Python twins of the conformance cases
// (test/runtime/conformance/cases*.py) under CPython, the reference the runtime follows.
// Usage: node scripts/conformance-golden.mjs [case ...]   (PYTHON=/path/to/python3.13 to choose)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'runtime', 'conformance');
const candidates = [process.env.PYTHON, '/root/.pyenv/versions/3.13.0/bin/python3', 'python3.13', 'python3'].filter(Boolean);
const python = candidates.find((p) => {
  try {
    const v = execFileSync(p, ['-c', 'import sys; print(sys.version_info >= (3, 13))'], { encoding: 'utf8' }).trim();
    return v === 'True';
  } catch {
    return false;
  }
});
if (!python) {
  console.error('conformance-golden: needs CPython 3.13 or later (set PYTHON=/path/to/python3.13)');
  process.exit(1);
}
const only = process.argv.slice(2);
const out = JSON.parse(execFileSync(python, ['harness.py', ...only], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 }));
const goldenPath = join(dir, 'golden.json');
const golden = only.length && existsSync(goldenPath) ? JSON.parse(readFileSync(goldenPath, 'utf8')) : { cases: {} };
golden.python = out.python;
Object.assign(golden.cases, out.cases);
golden.cases = Object.fromEntries(Object.entries(golden.cases).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(goldenPath, JSON.stringify(golden, null, 1) + '\n');
console.log(`conformance-golden: ${Object.keys(out.cases).length} cases from CPython ${out.python} -> ${goldenPath}`);
