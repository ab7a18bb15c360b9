// The terminal inspector on a program whose tasks block the loop (examples/blocking.ts): the
// runtime's watchdog reports each block, and `loopscope run` shows the one going on in its live
// output (--json updates carry `blocked.now`) and the ones that ended in --dump and --json.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${root}runtime/dist/cli.js`;
const EXAMPLE = `${root}examples/blocking.ts`;
const lineWith = (text: string) => readFileSync(EXAMPLE, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
const PARSE_LINE = lineWith('// the download finished');
const CHECKSUM_LINE = lineWith('// the next batch is due');
// Joining the downloaded pieces may block too on a loaded machine: that step resumed at the last piece's sleep.
const PIECE_LINE = lineWith('// the next piece of the download');

function loopscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', LOOPSCOPE_BLOCKED_MS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  // The example imports `loopscope` from runtime/dist, and the CLI is runtime/dist/cli.js.
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'runtime/dist'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}, 60_000);

describe('loopscope run on a program that blocks its loop', () => {
  it('--dump: the blocks that ended, each with its task and the line it resumed at', async () => {
    const r = await loopscope(['run', '--dump', 'examples/blocking.ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('parsed 400000 items');
    const tree = r.stdout.slice(r.stdout.indexOf('loopscope · '));
    expect(tree).toMatch(new RegExp(`^loop was blocked [\\d.]+ (ms|s) by parse-report \\(#3\\) at blocking\\.ts:${PARSE_LINE}$`, 'm'));
    expect(tree).toMatch(new RegExp(`^loop was blocked [\\d.]+ (ms|s) by checksum \\(#4\\) at blocking\\.ts:${CHECKSUM_LINE}$`, 'm'));
  }, 120_000);

  it('--json: updates carry the block going on (blocked.now), the last document every block that ended', async () => {
    const r = await loopscope(['run', '--json', 'examples/blocking.ts']);
    expect(r.code, r.stderr).toBe(0);
    const docs = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    // (A loaded machine may also hold the main thread outside any task step: such a block names no task.)
    const during = docs.filter((d) => d.blocked?.now?.taskId !== undefined).map((d) => d.blocked.now);
    expect(during.length).toBeGreaterThan(0);
    for (const now of during) {
      expect(['parse-report', 'checksum']).toContain(now.taskName);
      expect(now.taskName === 'checksum' ? [CHECKSUM_LINE] : [PARSE_LINE, PIECE_LINE]).toContain(now.location.line);
      expect(now.message).toMatch(new RegExp(`^loop blocked [\\d.]+ (ms|s) by ${now.taskName} \\(#\\d\\) at blocking\\.ts:${now.location.line}$`));
    }
    const last = docs[docs.length - 1];
    expect(last.reason).toBe('exit');
    expect(last.blocked.now).toBeNull();
    const past = (last.blocked.past as { taskName?: string; blockedMs: number; location: { file: string; line: number } }[]).filter((b) => b.taskName !== undefined);
    expect(past.map((b) => b.taskName)).toEqual(expect.arrayContaining(['parse-report', 'checksum']));
    expect(last.blocked.count).toBe(last.blocked.past.length);
    expect(past.every((b) => b.taskName === 'parse-report' || b.taskName === 'checksum')).toBe(true);
    for (const b of past) {
      expect(b.location.file).toBe(EXAMPLE);
      expect(b.blockedMs).toBeGreaterThanOrEqual(200);
    }
  }, 120_000);
});
