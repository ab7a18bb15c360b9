/**
 * The adapter's slow steps (adapter/src/slowSteps.ts) beside the JavaScript debugger: a step it
 * held (a line breakpoint inside the step) is not called slow, while it holds the program and for
 * a report that arrives after it lets go and could cover the pause; other slow steps are said.
 */
import { describe, expect, it } from 'vitest';
import { SlowSteps } from '../../adapter/src/slowSteps';
import type { SlowStepMessage } from '../../runtime/src/protocol/wire';

const step = (durationMs: number): SlowStepMessage => ({
  type: 'slowStep',
  taskId: 3,
  name: 'worker-2',
  durationMs,
  thresholdMs: 100,
  time: 1000,
  resumedAt: { file: '/w/crawler.ts', line: 40, column: 5, function: 'worker' },
  suspendedAt: { file: '/w/crawler.ts', line: 44, column: 5, function: 'worker' },
});

function setup() {
  let now = 100_000;
  const said: { text: string; at?: { file: string; line: number } }[] = [];
  const events: string[] = [];
  const s = new SlowSteps({ say: (text, at) => said.push({ text, at }), emit: (event) => events.push(event) }, () => now);
  return { s, said, events, advance: (ms: number) => (now += ms) };
}

describe('slow steps and the JavaScript debugger', () => {
  it("says a slow step in asyncio's words, linked to the line it resumed at", () => {
    const { s, said, events } = setup();
    s.onSlowStep(step(150));
    expect(said).toEqual([{ text: 'Executing worker-2 took 0.150 seconds (resumed at crawler.ts:40, suspended at crawler.ts:44)\n', at: step(150).resumedAt }]);
    expect(events).toEqual(['loopscope/slowStep']);
  });

  it('leaves out a step reported while js-debug holds the program, or soon after it let go', () => {
    const { s, said, events, advance } = setup();
    s.setJsPaused(true);
    s.onSlowStep(step(5000));
    advance(10_000);
    s.setJsPaused(false);
    advance(100);
    // The step that ran across the pause, reported with the next batch.
    s.onSlowStep(step(10_050));
    expect(said).toEqual([]);
    expect(events).toEqual([]);
    expect(s.heldByJsDebugger).toBe(2);
    // Long after: a slow step again.
    advance(60_000);
    s.onSlowStep(step(150));
    expect(said).toHaveLength(1);
  });
});
