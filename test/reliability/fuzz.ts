/**
 * What the protocol fuzzers share: a seeded PRNG (the seed is printed with any failure, and
 * LOOPSCOPE_FUZZ_SEED replays it), random JSON values meant to break a reader, mutations of a valid
 * message, and running the fuzz target program alone for the reference output.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const TARGET = join(ROOT, 'test', 'reliability', 'programs', 'fuzzTarget.ts');

/** The seed of this run: LOOPSCOPE_FUZZ_SEED, or a fresh one. */
export function fuzzSeed(): number {
  const fixed = process.env.LOOPSCOPE_FUZZ_SEED;
  if (fixed !== undefined && fixed !== '') return Number(fixed) >>> 0;
  // CI gates every landing: there the fuzz replays known seeds (a new one found by a developer's run
  // becomes a fix and a test, not a surprise for the next person's landing). Elsewhere, a fresh seed.
  if (process.env.CI) return CI_SEED;
  return (Date.now() ^ (process.pid << 8)) >>> 0;
}

/** The seed CI runs (its failures, when they come, replay exactly). */
const CI_SEED = 1;

/** Runs `body`; a failure names the seed and how to replay it. */
export async function withSeed<T>(name: string, seed: number, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    e.message = `[${name} seed ${seed}: replay with LOOPSCOPE_FUZZ_SEED=${seed}] ${e.message}`;
    throw e;
  }
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const NASTY_STRINGS = ['', '*', '**', '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', '\u0000', '\u001b[2J\u001b]0;title\u0007', '\ud800', '💥', '__proto__', 'constructor', 'toString', 'worker-*', '#1', 'x'.repeat(70), '\n', '"', '\\'];

/** A JSON value meant to break whoever reads it (bounded in size: at most about `maxChars`). */
export function nastyValue(rng: Rng, depth = 0, maxChars = 200_000): unknown {
  switch (rng.int(0, depth > 3 ? 6 : 10)) {
    case 0:
      return rng.pick(NASTY_STRINGS);
    case 1:
      return rng.pick([0, -1, 1, 1.5, -0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER + 2]);
    case 2:
      return rng.pick([null, true, false]);
    case 3:
      return 'z'.repeat(rng.int(0, maxChars));
    case 4:
      return String.fromCharCode(...Array.from({ length: rng.int(1, 40) }, () => rng.int(0, 0xffff)));
    case 5:
      return rng.int(-5, 100);
    case 6:
      // An own "__proto__" key, as JSON.parse makes it: a reader copying fields with [] would pollute prototypes.
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":"x"}');
    case 7:
      return Array.from({ length: rng.int(0, 5) }, () => nastyValue(rng, depth + 1, maxChars / 4));
    case 8: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 5); i > 0; i--) o[rng.pick(['id', 'taskId', 'file', 'line', 'kind', 'taskName', 'breakpoints', 'mode', 'hitCount', 'once', 'message', String(i)])] = nastyValue(rng, depth + 1, maxChars / 4);
      return o;
    }
    case 9: {
      // Deep nesting: a recursive reader would overflow its stack.
      const n = rng.int(100, 1500);
      return JSON.parse('['.repeat(n) + ']'.repeat(n));
    }
    default:
      return rng.int(0, 2 ** 31);
  }
}

/** `msg` with one to three of its fields deleted or replaced by nasty values (a copy). */
export function mutate(rng: Rng, msg: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = JSON.parse(JSON.stringify(msg));
  for (let n = rng.int(1, 3); n > 0; n--) {
    const target = rng.chance(0.5) && typeof out.args === 'object' && out.args !== null && !Array.isArray(out.args) ? (out.args as Record<string, unknown>) : out;
    const keys = Object.keys(target);
    const key = keys.length > 0 && rng.chance(0.8) ? rng.pick(keys) : rng.pick(['extra', 'args', 'command', 'id', 'type']);
    if (rng.chance(0.25)) delete target[key];
    else target[key] = nastyValue(rng);
  }
  return out;
}

/** A line that is not a well-formed message: broken JSON, non-objects, blank lines, random bytes. */
export function garbageLine(rng: Rng): string {
  switch (rng.int(0, 6)) {
    case 0:
      return '{"type":"request","id":' + rng.int(0, 99);
    case 1:
      return JSON.stringify(nastyValue(rng)) ?? 'null';
    case 2:
      return '';
    case 3:
      return '\r';
    case 4:
      return String.fromCharCode(...Array.from({ length: rng.int(1, 200) }, () => rng.int(1, 0x7f))).replace(/\n/g, ' ');
    case 5:
      return '[' + '{'.repeat(rng.int(1, 3000));
    default:
      return `{"type":${JSON.stringify(rng.pick(['request', 'error', 'hello', 'welcome', 'response', 'snapshot', 'x']))}}`;
  }
}

/** The fuzz target run alone: its output, exit code and peak memory. */
export function runAlone(rounds: number): Promise<{ code: number | null; stdout: string; rssPeak: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TARGET, String(rounds)], { cwd: ROOT, env: { ...process.env, LOOPSCOPE_CONNECT: '', LOOPSCOPE_LISTEN: '', LOOPSCOPE_SECRET: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, rssPeak: rssPeakOf(stderr) }));
  });
}

/** The `rss-peak <bytes>` line the fuzz target writes on stderr at its end (0 when missing). */
export function rssPeakOf(stderr: string): number {
  const m = /rss-peak (\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}
