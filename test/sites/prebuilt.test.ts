/**
 * A program built ahead of time (TypeScript → .js with a separate .js.map, run by plain Node, no
 * tsx) still shows its TypeScript lines: the await-site transform reads the file's own source map
 * (its sourceMappingURL) when it records each site.
 */
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { describe, it, expect, beforeAll } from 'vitest';

const ROOT = join(__dirname, '../..');
const SOURCE = join(__dirname, 'fixtures/prebuilt.ts');
const lineOf = (marker: string) => readFileSync(SOURCE, 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`)) + 1;

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'runtime/dist'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
}, 60_000);

describe('a prebuilt .js program with a .js.map', () => {
  it('shows each task suspended at its TypeScript lines, down the await chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopscope-prebuilt-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(ROOT, 'runtime'), join(dir, 'node_modules', 'loopscope'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    // Not bundled: the program imports loopscope as an installed package would be imported.
    buildSync({ entryPoints: [SOURCE], outfile: join(dir, 'prebuilt.js'), format: 'esm', platform: 'node', sourcemap: 'linked', sourcesContent: false });
    expect(readFileSync(join(dir, 'prebuilt.js'), 'utf8')).toMatch(/sourceMappingURL=prebuilt\.js\.map/);
    const r = spawnSync(process.execPath, [join(ROOT, 'runtime/dist/cli.js'), 'run', '--json', '--dump', '--stuck-after', '700', 'prebuilt.js'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const workers = doc.tasks.filter((t: { name: string }) => t.name.startsWith('worker-'));
    expect(workers).toHaveLength(2);
    for (const w of workers) {
      expect(w.location).toMatchObject({ line: lineOf('waits'), function: 'wait' });
      expect(w.location.file).toMatch(/fixtures\/prebuilt\.ts$/);
    }
    // The whole chain too: the stuck finding names the innermost line; the tree's summary says it.
    expect(doc.tree[0].children.map((c: { summary: string }) => c.summary).join('\n')).toContain(`prebuilt.ts:${lineOf('waits')}`);
  }, 60_000);
});
