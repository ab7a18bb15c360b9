// `loopscope run --group-by location` and `--at` end to end: the built CLI (runtime/dist/cli.js) on
// test/cli/fixtures/sites.ts (50 readers at one await line, 3 at another), through a real socket.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}runtime/dist/cli.js`;
const FIXTURE = 'test/cli/fixtures/sites.ts';
const src = readFileSync(`${root}${FIXTURE}`, 'utf8').split('\n');
const lineOf = (marker: string) => src.findIndex((l) => l.includes(`// @${marker}`)) + 1;
const FIRST = lineOf('first');
const SECOND = lineOf('second');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `loopscope ...args` from the repository root; `whenOutput` lets a test act on what it printed. */
function loopscope(args: string[], whenOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => ((stdout += c), whenOutput?.(stdout, child)));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The complete JSON lines of the CLI's stdout so far. */
const jsonLines = (stdout: string): any[] =>
  stdout
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line));

/** A document's count at a line of the fixture (0 when no group is there). */
const countAt = (doc: any, line: number): number => doc.locations.find((g: any) => g.line === line)?.count ?? 0;

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('loopscope run --group-by location', () => {
  it('× 50 suspended at one line, × 3 at the other, largest first, when the program is stuck', async () => {
    const r = await loopscope(['run', '--dump', '--stuck-after', '500', '--group-by', 'location', FIXTURE]);
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stdout.slice(r.stdout.indexOf('loopscope · ')).split('\n');
    expect(lines.slice(1, 4)).toEqual([
      `× 50 suspended at sites.ts:${FIRST} on Queue.get — Queue.get on jobs (empty) · reader-4, reader-5, reader-6 and 47 more  ✖ all stuck`,
      `× 3 suspended at sites.ts:${SECOND} on Queue.get — Queue.get on results (empty) · reader-1, reader-2, reader-3  ✖ all stuck`,
      expect.stringMatching(/^× 1 suspended at sites\.ts:\d+ on gather · Task-1 {2}✖ stuck$/),
    ]);
  }, 30_000);

  it('--at file:line: only that line’s tasks, each listed', async () => {
    const r = await loopscope(['run', '--dump', '--stuck-after', '500', '--group-by', 'location', '--at', `sites.ts:${SECOND}`, FIXTURE]);
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stdout.slice(r.stdout.indexOf('loopscope · ')).split('\n');
    expect(lines[1]).toMatch(new RegExp(`^× 3 suspended at sites\\.ts:${SECOND} on Queue\\.get`));
    for (const [i, name] of ['reader-1', 'reader-2', 'reader-3'].entries()) {
      expect(lines[2 + i]).toMatch(new RegExp(`^[├└]─ ${name} #\\d+ suspended .*at sites\\.ts:${SECOND}: Queue\\.get on results \\(empty\\)`));
    }
    expect(lines[5]).toBe('');
    expect(r.stdout).not.toContain(`sites.ts:${FIRST}`);
  }, 30_000);

  it('--at in the creator tree: the site’s tasks under their creator', async () => {
    const r = await loopscope(['run', '--dump', '--stuck-after', '500', '--at', `test/cli/fixtures/sites.ts:${SECOND}`, FIXTURE]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^Task-1 #\d+ suspended .*gather: 53 pending/m);
    expect(r.stdout).toMatch(/^└─ × 3 reader suspended: Queue\.get on results \(empty\)/m);
    expect(r.stdout).toContain(`(only the 3 tasks suspended at test/cli/fixtures/sites.ts:${SECOND}, under their creators)`);
  }, 30_000);

  it('live: the counts follow the readers as they move from one line to the other, update after update', async () => {
    // Each line on stdin moves 20 readers; the next is sent only once an update has shown the move.
    let sent = 0;
    const r = await loopscope(['run', '--json', '--group-by', 'location', FIXTURE, 'moves'], (stdout, child) => {
      const last = jsonLines(stdout).at(-1);
      if (!last) return;
      const want = [50, 30, 10][sent];
      if (want !== undefined && countAt(last, FIRST) === want && countAt(last, SECOND) === 53 - want) {
        sent++;
        if (sent < 3) child.stdin!.write('go\n');
        else child.stdin!.end();
      }
    });
    expect(sent, `the updates never showed every move:\n${r.stdout.slice(-4000)}\n${r.stderr}`).toBe(3);
    expect(r.code, r.stderr).toBe(0);
    const docs = jsonLines(r.stdout);
    const labels = (d: any) => d.locations.map((g: any) => g.label);
    // What a user saw, in order: the first line's group shrinking, the second's growing past it.
    const seen = docs.map((d) => `${countAt(d, FIRST)}/${countAt(d, SECOND)}`);
    for (const step of ['50/3', '30/23', '10/43']) expect(seen).toContain(step);
    expect(seen.indexOf('50/3')).toBeLessThan(seen.indexOf('30/23'));
    expect(seen.indexOf('30/23')).toBeLessThan(seen.indexOf('10/43'));
    // Never back: a count at the first line only goes down, and no reader is in two groups.
    const firsts = docs.map((d) => countAt(d, FIRST)).filter((n) => n > 0);
    expect(firsts).toEqual([...firsts].sort((a, b) => b - a));
    for (const d of docs) expect(countAt(d, FIRST) + countAt(d, SECOND)).toBeLessThanOrEqual(53);
    // The labels say it, largest first.
    const before = docs.find((d) => countAt(d, FIRST) === 50 && countAt(d, SECOND) === 3);
    expect(labels(before).slice(0, 2)).toEqual([`× 50 suspended at sites.ts:${FIRST} on Queue.get`, `× 3 suspended at sites.ts:${SECOND} on Queue.get`]);
    const after = docs.find((d) => countAt(d, FIRST) === 10 && countAt(d, SECOND) === 43);
    expect(labels(after).slice(0, 2)).toEqual([`× 43 suspended at sites.ts:${SECOND} on Queue.get`, `× 10 suspended at sites.ts:${FIRST} on Queue.get`]);
  }, 60_000);
});
