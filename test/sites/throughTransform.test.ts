/**
 * Whatever watches a program must not change what it does: the conformance cases and the examples,
 * loaded through the await-site transform (`--import loopscope/register`, as `loopscope run` and the
 * debug adapter load programs), log and print exactly what they do without it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, it, expect } from 'vitest';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const REGISTER = pathToFileURL(join(ROOT, 'runtime/src/sites/register.ts')).href;
// 'loopscope' resolves to the runtime's sources (as in the adapter tests), so nothing here is stale.
const env = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'test/adapter/programs/tsconfig.json') };

async function node(args: string[], transformed: boolean): Promise<{ stdout: string; stderr: string; code: number }> {
  const argv = ['--enable-source-maps', '--import', TSX, ...(transformed ? ['--import', REGISTER] : []), ...args];
  try {
    const r = await run(process.execPath, argv, { cwd: ROOT, env, maxBuffer: 64 << 20, timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('programs through the await-site transform', () => {
  it('every conformance case logs what CPython logged (golden.json), with the cases instrumented', async () => {
    const golden: { cases: Record<string, string[]> } = JSON.parse(readFileSync(join(ROOT, 'test/runtime/conformance/golden.json'), 'utf8'));
    const r = await node(['test/sites/fixtures/conformanceRunner.ts'], true);
    expect(r.stderr).toBe('');
    const out: { sites: number; logs: Record<string, string[]> } = JSON.parse(r.stdout.trim().split('\n').pop()!);
    // The transform ran: the cases' awaits have sites (hundreds of them).
    expect(out.sites).toBeGreaterThan(200);
    expect(Object.keys(out.logs).length).toBe(Object.keys(golden.cases).length);
    for (const [name, log] of Object.entries(out.logs)) expect(log, name).toEqual(golden.cases[name]);
  }, 120_000);

  // (The crawler's timeouts and the producer/consumer's work split race real time, so their output
  // differs from run to run even alone; the conformance cases above run on the virtual clock.)
  for (const example of ['cancellation-storm.ts']) {
    it(`examples/${example} prints the same and exits the same`, async () => {
      const [alone, transformed] = await Promise.all([node([`examples/${example}`], false), node([`examples/${example}`], true)]);
      expect(transformed.code).toBe(alone.code);
      expect(transformed.stdout).toBe(alone.stdout);
      expect(transformed.stderr).toBe(alone.stderr);
    }, 90_000);
  }
});
