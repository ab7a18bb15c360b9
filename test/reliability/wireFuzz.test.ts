/**
 * A fuzzer of the wire protocol: a debugger that sends random and mutated requests, broken lines and
 * nasty values to the agent of a real program, for a bounded number of messages and time. The
 * program must print what it prints alone and exit with the same code, its memory must stay within
 * ALONE + RSS_MARGIN_BYTES, and the agent must answer every request that carries an integer id, once.
 * The seed is printed with any failure (LOOPSCOPE_FUZZ_SEED=<seed> replays it).
 */
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../runtime/src/protocol/wire';
import { Rng, ROOT, TARGET, fuzzSeed, garbageLine, mutate, nastyValue, runAlone, rssPeakOf, withSeed } from './fuzz';

const ROUNDS = 150;
const MAX_MESSAGES = 2500;
const FUZZ_MS = 8000;
/** Peak RSS under fuzzing may exceed the program's own by at most this (requests of up to ~200 KB, the agent's buffers). */
const RSS_MARGIN_BYTES = 160 * 1024 * 1024;

const COMMANDS = ['pause', 'resume', 'step', 'stepTask', 'stepOut', 'setBreakpoints', 'setLifecycleBreakpoints', 'setTaskBreakpoints', 'cancelTask', 'taskDetails', 'readyQueue', 'snapshot', 'setOptions'] as const;
const LIFECYCLE = ['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException'];
const NAMES = ['*', 'locker-*', 'event-1-*', 'doomed-*', 'main', '#3', 'sem-?-1', '*a*a*a*a*a*a*b'];

/** A well-formed request. Never a cancel of a real task: that would change the program's output, as it should. */
function validRequest(rng: Rng, id: number): Record<string, unknown> {
  const command = rng.pick(COMMANDS);
  const taskId = rng.int(0, 400);
  let args: Record<string, unknown> = {};
  switch (command) {
    case 'stepTask':
    case 'stepOut':
    case 'taskDetails':
      args = { taskId };
      break;
    case 'cancelTask':
      args = { taskId: 1_000_000 + taskId, message: 'fuzz' };
      break;
    case 'setBreakpoints':
      args = { breakpoints: Array.from({ length: rng.int(0, 3) }, (_, i) => ({ id: i + 1, file: rng.chance(0.7) ? TARGET : '/nowhere.ts', line: rng.int(1, 120), mode: rng.pick(['suspend', 'resume']), ...(rng.chance(0.5) ? { taskName: rng.pick(NAMES) } : {}), ...(rng.chance(0.3) ? { hitCount: rng.int(1, 5) } : {}) })) };
      break;
    case 'setLifecycleBreakpoints':
      args = { breakpoints: Array.from({ length: rng.int(0, 2) }, () => ({ kind: rng.pick(LIFECYCLE), ...(rng.chance(0.5) ? { taskName: rng.pick(NAMES) } : {}) })) };
      break;
    case 'setTaskBreakpoints':
      args = { breakpoints: Array.from({ length: rng.int(0, 2) }, (_, i) => (rng.chance(0.5) ? { id: i + 1, taskName: rng.pick(NAMES), once: rng.chance(0.5) } : { id: i + 1, taskId })) };
      break;
    case 'setOptions':
      args = { timeline: rng.chance(0.5), stacks: rng.pick(['always', 'sampled', 'off']), flushIntervalMs: rng.int(1, 200) };
      break;
  }
  return { type: 'request', id, command, args };
}

/**
 * A mutated message that still cancels a task must not name a real one (a mutation turned the
 * out-of-range id into 1 and cancelled main, seed 898691084): a cancel changes the program, as it
 * should, and the fuzz asserts that nothing else does.
 */
function harmless(m: Record<string, unknown>): Record<string, unknown> {
  const args = m.args;
  if (m.command === 'cancelTask' && typeof args === 'object' && args !== null && !Array.isArray(args)) {
    const a = args as Record<string, unknown>;
    if (typeof a.taskId === 'number' && a.taskId < 1_000_000) a.taskId = 1_000_000 + Math.abs(Math.trunc(a.taskId) || 0);
  }
  return m;
}

describe('wire protocol fuzz', () => {
  it(`${MAX_MESSAGES} random and mutated messages within ${FUZZ_MS} ms change nothing in the program`, async () => {
    const seed = fuzzSeed();
    await withSeed('wireFuzz', seed, async () => {
      const rng = new Rng(seed);
      const alone = await runAlone(ROUNDS);
      expect(alone.code).toBe(0);

      let socket: Socket | null = null;
      const answered = new Map<number, number>();
      let received = 0;
      let badLines = 0;
      /** The longest error (a response with ok false, or an error message): errors quote client input only briefly. */
      let longestError = 0;
      const server = createServer((s) => {
        let buf = '';
        s.setEncoding('utf8');
        s.on('error', () => {});
        s.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            let msg: Record<string, unknown>;
            try {
              msg = JSON.parse(line);
            } catch {
              badLines++;
              continue;
            }
            received++;
            if (msg.type === 'error' || (msg.type === 'response' && msg.ok === false)) longestError = Math.max(longestError, line.length);
            if (socket === null && msg.type === 'hello') {
              s.write(JSON.stringify({ type: 'welcome', protocol: PROTOCOL_VERSION, role: 'debugger', peer: { name: 'fuzz', version: '0' } }) + '\n');
              socket = s;
            } else if (msg.type === 'response' && typeof msg.id === 'number') answered.set(msg.id, (answered.get(msg.id) ?? 0) + 1);
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const child = spawn(process.execPath, ['--import', 'tsx', TARGET, String(ROUNDS)], { cwd: ROOT, env: { ...process.env, LOOPSCOPE_CONNECT: `127.0.0.1:${port}`, LOOPSCOPE_SECRET: 'fuzz-secret', LOOPSCOPE_LISTEN: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      let exited = false;
      const exit = new Promise<number | null>((r) => child.on('close', (code) => ((exited = true), r(code))));

      const waitFor = async (cond: () => boolean, ms: number) => {
        const end = Date.now() + ms;
        while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
        return cond();
      };
      try {
        expect(await waitFor(() => socket !== null || exited, 30_000)).toBe(true);
        // Each integer id sent, with how often (a mutation may repeat an id): it gets as many answers.
        const sentIds = new Map<number, number>();
        const sentId = (id: number) => sentIds.set(id, (sentIds.get(id) ?? 0) + 1);
        let lastProbe = 0;
        let sent = 0;
        let nextId = 1;
        const start = Date.now();
        while (socket !== null && !exited && sent < MAX_MESSAGES && Date.now() - start < FUZZ_MS) {
          // A burst, then a plain request whose answer says the agent has read the burst.
          for (let n = rng.int(1, 15); n > 0; n--, sent++) {
            const kind = rng.next();
            let line: string;
            if (kind < 0.45) {
              const id = nextId++;
              sentId(id);
              line = JSON.stringify(validRequest(rng, id));
            } else if (kind < 0.85) {
              const m = harmless(mutate(rng, validRequest(rng, nextId++)));
              if (Number.isInteger(m.id) && m.type === 'request') sentId(m.id as number);
              line = JSON.stringify(m);
            } else line = rng.chance(0.5) ? garbageLine(rng) : JSON.stringify(nastyValue(rng));
            (socket as Socket).write(line + '\n');
          }
          const probe = nextId++;
          sentId(probe);
          lastProbe = probe;
          (socket as Socket).write(JSON.stringify({ type: 'request', id: probe, command: 'readyQueue', args: {} }) + '\n');
          sent++;
          expect(await waitFor(() => answered.has(probe) || exited, 20_000), `no answer to request ${probe}`).toBe(true);
        }
        // Leave as a debugger may: the loop, if held, runs on to the program's end.
        (socket as Socket | null)?.destroy();
        const code = await exit;
        expect(code, stderr).toBe(alone.code);
        expect(stdout).toBe(alone.stdout);
        expect(rssPeakOf(stderr)).toBeLessThan(alone.rssPeak + RSS_MARGIN_BYTES);
        // Every request with an integer id, up to the last probe answered, got one answer per sending.
        const wrong = [...sentIds].filter(([id, n]) => id <= lastProbe && id > 0 && id < 2 ** 31 && answered.get(id) !== n && answered.has(lastProbe));
        expect(wrong.slice(0, 10).map(([id, n]) => `id ${id}: sent ${n}, answered ${answered.get(id) ?? 0}`)).toEqual([]);
        expect(received).toBeGreaterThan(0);
        expect(sent, "messages sent before the program ended").toBeGreaterThan(100);
        expect(badLines).toBe(0);
        expect(longestError).toBeLessThan(2048);
      } finally {
        child.kill('SIGKILL');
        server.close();
      }
    });
  }, 120_000);
});
