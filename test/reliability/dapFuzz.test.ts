/**
 * A fuzzer of DAP requests against the debug adapter, debugging the fuzz target program: random and
 * mutated requests (threads, stacks, scopes, variables, breakpoints of every kind, pause, continue,
 * steps, the custom loopscope/* requests, unknown commands), a bounded number within a bounded time.
 * Every request must be answered (success, or a failure with a message) within ANSWER_MS, the
 * adapter must never crash, and the program must print what it prints alone and exit with the same
 * code. Requests that change the program on purpose (cancelling a task, restart, terminate) are left
 * out. The seed is printed with any failure (LOOPSCOPE_FUZZ_SEED=<seed> replays it).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startSession, launchWith, type Session } from '../adapter/harness';
import { Rng, ROOT, TARGET, fuzzSeed, mutate, nastyValue, runAlone, withSeed } from './fuzz';

const ROUNDS = 150;
const MAX_REQUESTS = 600;
const FUZZ_MS = 8000;
/** An answer later than this counts as none. */
const ANSWER_MS = 10_000;

let session: Session | null = null;
afterEach(async () => {
  await session?.dc.stop();
  session = null;
});

const NAMES = ['*', 'locker-*', 'event-1-*', 'doomed-*', 'main', '#3', '*a*a*a*a*a*a*b', 'name == "sem-*"', 'task === \'x\'', '1 + 1'];
const FILTERS = ['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException', 'nonsense'];

/** A request an editor could send (arguments right or nearly). */
function validRequest(rng: Rng): { command: string; args: Record<string, unknown> } {
  const threadId = rng.int(0, 300);
  switch (rng.int(0, 21)) {
    case 0:
      return { command: 'threads', args: {} };
    case 1:
      return { command: 'stackTrace', args: { threadId, startFrame: rng.int(0, 3), levels: rng.int(0, 20) } };
    case 2:
      return { command: 'scopes', args: { frameId: rng.int(0, 2000) } };
    case 3:
      return { command: 'variables', args: { variablesReference: rng.int(0, 2000), ...(rng.chance(0.3) ? { start: rng.int(0, 10), count: rng.int(0, 10) } : {}) } };
    case 4:
      return {
        command: 'setBreakpoints',
        args: {
          source: { path: rng.chance(0.8) ? TARGET : '/nowhere/x.ts' },
          breakpoints: Array.from({ length: rng.int(0, 3) }, () => ({
            line: rng.int(1, 120),
            ...(rng.chance(0.4) ? { condition: rng.pick(NAMES) } : {}),
            ...(rng.chance(0.3) ? { hitCondition: rng.pick(['2', '>= 3', '> 1', 'x']) } : {}),
            ...(rng.chance(0.2) ? { logMessage: 'hi' } : {}),
            ...(rng.chance(0.3) ? { mode: rng.pick(['suspend', 'resume', 'other']) } : {}),
          })),
        },
      };
    case 5:
      return { command: 'setFunctionBreakpoints', args: { breakpoints: Array.from({ length: rng.int(0, 2) }, () => ({ name: rng.pick(NAMES) })) } };
    case 6:
      return { command: 'setExceptionBreakpoints', args: { filters: [], filterOptions: Array.from({ length: rng.int(0, 3) }, () => ({ filterId: rng.pick(FILTERS), ...(rng.chance(0.3) ? { condition: rng.pick(NAMES) } : {}) })) } };
    case 7:
      return { command: 'pause', args: { threadId } };
    case 8:
    case 9:
      return { command: 'continue', args: { threadId } };
    case 10:
      return { command: rng.pick(['next', 'stepIn', 'stepOut']), args: { threadId } };
    case 11:
      return { command: 'evaluate', args: { expression: String(rng.pick(NAMES)), context: rng.pick(['repl', 'watch', 'hover']) } };
    case 12:
      return { command: 'loopscope/stepScheduler', args: {} };
    case 13:
      return { command: 'loopscope/readyQueue', args: {} };
    case 14:
      return { command: 'loopscope/taskDetails', args: { taskId: threadId } };
    case 15:
      return { command: 'loopscope/breakOnResume', args: { taskId: threadId } };
    case 16:
      return { command: 'loopscope/snapshot', args: {} };
    case 17:
      return { command: 'loopscope/setOptions', args: { timeline: rng.chance(0.5), stacks: rng.pick(['always', 'sampled', 'off']) } };
    case 18:
      return { command: 'loopscope/focusTask', args: { taskId: threadId } };
    case 19:
      return { command: 'loopscope/resources', args: {} };
    case 20:
      return { command: rng.pick(['exceptionInfo', 'source', 'loadedSources', 'setVariable', 'goto', 'stepBack', 'completions', 'modules']), args: { threadId, variablesReference: rng.int(0, 50), name: 'x', value: '1' } };
    default:
      // Cancelling, but never a task that exists (that changes the program, as it should).
      return { command: 'loopscope/cancelTask', args: { taskId: 1_000_000 + threadId } };
  }
}

describe('DAP request fuzz', () => {
  it(`up to ${MAX_REQUESTS} random and mutated requests within ${FUZZ_MS} ms: every one answered, the adapter alive, the program unchanged`, async () => {
    const seed = fuzzSeed();
    await withSeed('dapFuzz', seed, async () => {
      const rng = new Rng(seed);
      const alone = await runAlone(ROUNDS);
      expect(alone.code).toBe(0);
      const s = (session = await startSession());
      const exited = s.dc.waitForEvent('exited', 120_000);
      let done = false;
      void exited.then(() => (done = true), () => undefined);
      await launchWith(s, { program: TARGET, args: [String(ROUNDS)], cwd: ROOT, jsDebug: false, connectTimeout: 15 });

      const unanswered: string[] = [];
      const failures = new Map<string, number>();
      let sent = 0;
      const start = Date.now();
      const ask = async (command: string, args: unknown) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ANSWER_MS)));
        const answer = s.dc.customRequest(command, args as Record<string, unknown>).then(
          () => 'ok' as const,
          (e: Error) => (e.message ? ('failed' as const) : ('no message' as const)),
        );
        const r = await Promise.race([answer, timeout]);
        clearTimeout(timer);
        if (r === 'timeout' || r === 'no message') unanswered.push(`${command} ${JSON.stringify(args)?.slice(0, 200)}: ${r}`);
        if (r === 'failed') failures.set(command, (failures.get(command) ?? 0) + 1);
      };
      while (!done && sent < MAX_REQUESTS && Date.now() - start < FUZZ_MS) {
        // A few at once, as an editor sends them, then their answers.
        const burst: Promise<void>[] = [];
        for (let n = rng.int(1, 6); n > 0; n--, sent++) {
          const { command, args } = validRequest(rng);
          if (rng.chance(0.35)) {
            const m = mutate(rng, { command, args });
            // A mutation may turn the command into anything: never one that ends or restarts the session.
            const cmd = typeof m.command === 'string' && !['disconnect', 'terminate', 'restart', 'terminateThreads'].includes(m.command) ? m.command : `fuzz-${String(m.command).slice(0, 20)}`;
            burst.push(ask(cmd, m.args ?? nastyValue(rng)));
          } else burst.push(ask(command, args));
        }
        await Promise.all(burst);
      }
      // Leave the program to run on: no breakpoints, and going on from any stop.
      await ask('setBreakpoints', { source: { path: TARGET }, breakpoints: [] });
      await ask('setFunctionBreakpoints', { breakpoints: [] });
      await ask('setExceptionBreakpoints', { filters: [] });
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => void s.dc.continueRequest({ threadId: e.body.threadId ?? 0 }).catch(() => undefined));
      await ask('continue', { threadId: 0 });
      // The adapter still serves requests.
      expect((await s.dc.threadsRequest()).success).toBe(true);
      const code = (await exited).body.exitCode;
      expect(unanswered.slice(0, 10)).toEqual([]);
      expect(code, s.output()).toBe(alone.code);
      await s.waitForOutput(/exited with code/);
      const out = s.output();
      let from = 0;
      for (const line of alone.stdout.split('\n').filter(Boolean)) {
        const at = out.indexOf(line, from);
        expect(at, `"${line}" missing from the debug console after offset ${from}`).toBeGreaterThanOrEqual(0);
        from = at + line.length;
      }
      expect(sent).toBeGreaterThan(20);
    });
  }, 180_000);
});
