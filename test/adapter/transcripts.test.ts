/**
 * Sessions kept as golden transcripts (test/adapter/golden/*.txt): what a user sees at each stop —
 * why it stopped, the threads, the stopped task's stack and variables — reads better whole than as
 * assertions. Times vary from run to run and are written <t>. `UPDATE_GOLDEN=1` rewrites the files
 * (review the diff before committing).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROGRAMS, launchWith, nextStop, programLaunch, scopeValues, stackText, startSession, type Session } from './harness';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden');

let s: Session | undefined;
afterEach(async () => {
  await s?.dc.stop();
  s = undefined;
});

/** Durations and deadlines vary from run to run ("due now" is a deadline reached: no time left). */
function timeless(text: string): string {
  return text
    .replace(/\b\d+(\.\d+)? (ms|s|min|h)\b/g, '<t>')
    .replace(/= due now\b/g, '= in <t>')
    .replace(/\bdue now\b/g, '<t> left')
    .replace(/\b(suspended|ready) <t> at\b/g, '$1 at') // (a duration under 1 ms is not shown at all)
    .replace(/\b(suspended|ready) <t>$/gm, '$1') // (nor at the end of a line: "task = worker-1 #2 ready")
    .replace(/<<t>/g, '<t>') // (a longest step under 0.1 ms)
    .replace(/(step durations = ).*/g, '$1<buckets>'); // (which bucket a step falls in varies too)
}

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${file} did not exist: written now, review it and run again`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** One stop as text: reason and description, the threads, the stopped task's stack and Task/Awaiting scopes. */
async function describeStop(stop: Awaited<ReturnType<typeof nextStop>>): Promise<string> {
  const lines = [`< stopped (${stop.reason}): ${stop.description}`];
  // The other threads' states depend on which timers fired while stopped (Node's clock runs on):
  // the transcript shows the stopped task's thread and how many are listed.
  const threads = (await s!.dc.threadsRequest()).body.threads;
  lines.push(`  thread: ${threads.find((t) => t.id === stop.threadId)?.name ?? '(not listed!)'} (${threads.length} listed)`);
  lines.push('  stack:');
  for (const f of await stackText(s!, stop.threadId!)) lines.push(`    ${f}`);
  const scopes = await scopeValues(s!, stop.threadId!);
  for (const [scope, vars] of Object.entries(scopes)) {
    lines.push(`  ${scope}:`);
    for (const [k, v] of Object.entries(vars)) lines.push(`    ${k} = ${v}`);
  }
  return timeless(lines.join('\n'));
}

describe('golden transcripts', () => {
  it('stepping workers.ts one scheduler step at a time', async () => {
    s = await startSession();
    const out: string[] = ['> launch workers.ts, stopOnEntry'];
    await launchWith(s, programLaunch(join(PROGRAMS, 'workers.ts'), { stopOnEntry: true, stacks: 'always' }));
    let stop = await nextStop(s);
    out.push(await describeStop(stop));
    for (let i = 0; i < 6; i++) {
      out.push('> step in (one scheduler step)');
      await s.dc.stepInRequest({ threadId: stop.threadId! });
      stop = await nextStop(s);
      out.push(await describeStop(stop));
    }
    out.push('> continue');
    const exited = s.dc.waitForEvent('exited');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    out.push(`< exited ${(await exited).body.exitCode}`);
    expectGolden('step-workers', `${out.join('\n')}\n`);
    // (The program's output and the adapter's own lines arrive on two channels, in either order.)
    expect(s.output()).toContain('results 6,6');
  });
});
