/**
 * Slow task steps and the loop's lag, as the adapter shows them. A slowStep from the runtime is a
 * line in the Debug Console in asyncio's words ("Executing worker-2 took 0.150 seconds (resumed at
 * crawler.ts:40, suspended at crawler.ts:44)"), linked to the line it resumed at, and a custom
 * event the extension turns into a warning at that line and a mark on the task's row. loopLag is
 * passed on for the status bar.
 *
 * A step the JavaScript debugger held (a line breakpoint inside it, a pause) was not slow: the user
 * looked at it. The runtime cannot tell (the thread is stopped inside the step), so the adapter
 * leaves out a slow step that overlapped a JavaScript pause: one reported while js-debug holds the
 * program, or ending within its duration (and the batch interval) of such a pause's end.
 */
import type { LoopLagMessage, SlowStepMessage } from '../../runtime/src/protocol/wire';
import { slowStepSentence, slowStepLine } from '../../runtime/src/protocol/slowStepText';
import type { CustomEventName, CustomEvents } from './dapCustom';

/** How late a slowStep may arrive after its step ended (the runtime's batches, spaced out when costly, up to 2 s). */
const REPORT_DELAY_MS = 2500;

export interface SlowStepOutput {
  /** A console line, linked to `at` (file and line) when given. */
  say(text: string, at?: { file: string; line: number; column?: number }): void;
  emit<E extends CustomEventName>(event: E, body: CustomEvents[E]): void;
}

export class SlowSteps {
  private jsPaused = false;
  /** When the last JavaScript pause ended (Date.now() ms; -Infinity: none). */
  private jsResumedAt = -Infinity;
  /** Slow steps left out because the JavaScript debugger held them. */
  heldByJsDebugger = 0;

  constructor(
    private readonly out: SlowStepOutput,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The JavaScript child session paused or went on (the extension's loopscope/jsDebugPaused). */
  setJsPaused(paused: boolean): void {
    if (this.jsPaused && !paused) this.jsResumedAt = this.clock();
    this.jsPaused = paused;
  }

  onSlowStep(m: SlowStepMessage): void {
    if (this.jsPaused || this.clock() - this.jsResumedAt <= m.durationMs + REPORT_DELAY_MS) {
      this.heldByJsDebugger++;
      return;
    }
    const text = slowStepSentence(m);
    const at = slowStepLine(m);
    this.out.say(`${text}\n`, at);
    if (m.dropped) this.out.say(`(${m.dropped} more slow steps were not reported: more than the runtime keeps between two batches)\n`);
    this.out.emit('loopscope/slowStep', { ...m, text });
  }

  onLoopLag(m: LoopLagMessage): void {
    this.out.emit('loopscope/loopLag', m);
  }
}
