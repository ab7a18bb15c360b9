/**
 * The blocked loop, as the adapter shows it. The runtime's watchdog (runtime/src/agent/watchdog.ts)
 * says when a task step holds the loop past its threshold, every second while it lasts, and when the
 * loop runs again: a console line at the start and at the end of each block, and custom events
 * every time (the extension's status bar follows them). A pause the runtime cannot answer (its
 * loop is blocked) is answered anyway, saying what holds the loop. While the JavaScript debugger
 * holds the program (the extension says so), the loop is held by it, not blocked by a task: the
 * watchdog cannot tell the two apart, so nothing is said then.
 */
import type { LoopBlockedMessage, LoopUnblockedMessage } from '../../runtime/src/protocol/watchdogWire';
import { blockedSentence, blockedShort, pauseWaitsSentence, unblockedSentence } from '../../runtime/src/protocol/blockedText';
import type { CustomEventName, CustomEvents } from './dapCustom';

/** How long a pause waits for the runtime's answer before the adapter answers it itself (DAP clients show nothing meanwhile). */
export const PAUSE_ANSWER_MS = 500;

export interface BlockOutput {
  say(text: string, category: 'console' | 'important'): void;
  emit<E extends CustomEventName>(event: E, body: CustomEvents[E]): void;
}

export class LoopBlocks {
  private current: LoopBlockedMessage | null = null;
  /** A pause was answered before the runtime could act on it: it takes effect when the loop is given back. */
  private pauseWaiting = false;
  /** That pause has been explained with what holds the loop. */
  private pauseExplained = false;
  /** The JavaScript debugger holds the program. */
  private jsPaused = false;

  constructor(private readonly out: BlockOutput) {}

  /** What holds the loop now (null: nothing the watchdog reported). */
  get blocked(): LoopBlockedMessage | null {
    return this.current;
  }

  onBlocked(m: LoopBlockedMessage): void {
    if (this.jsPaused) return;
    const first = this.current === null;
    this.current = m;
    if (first) this.out.say(`${blockedSentence(m)}\n`, 'important');
    this.out.emit('loopscope/loopBlocked', { ...m, text: blockedShort(m) });
    // A pause that came before the watchdog could say who blocks: say it now.
    if (this.pauseWaiting && !this.pauseExplained) this.explainPause(m.blockedMs);
  }

  onUnblocked(m: LoopUnblockedMessage): void {
    // A block that was not said (the JavaScript debugger held the program throughout) has no end to say.
    if (this.current === null) return;
    this.current = null;
    const text = unblockedSentence(m);
    this.out.say(`${text}\n`, 'console');
    this.out.emit('loopscope/loopUnblocked', { ...m, text });
  }

  /**
   * Answers a pause: `answer` is the runtime's. If it does not come within PAUSE_ANSWER_MS, resolves
   * anyway and says why (the stop follows when the runtime gets the loop back, as a stopped event).
   */
  async pause(answer: Promise<unknown>): Promise<void> {
    let late = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        late = true;
        resolve();
      }, PAUSE_ANSWER_MS);
    });
    try {
      await Promise.race([answer, waited]);
    } finally {
      clearTimeout(timer);
    }
    if (!late) return;
    this.pauseWaiting = true;
    this.pauseExplained = false;
    this.explainPause(PAUSE_ANSWER_MS);
    // The runtime answers when it can; a failure then has no request left to fail.
    answer.then(
      () => undefined,
      (e: Error) => this.out.say(`The pause failed: ${e.message}\n`, 'important'),
    );
  }

  /** The JavaScript debugger paused the program, or let it go on. A block being said ends there (the status bar clears). */
  setJsPaused(paused: boolean): void {
    this.jsPaused = paused;
    const m = this.current;
    if (!paused || m === null) return;
    this.current = null;
    this.out.emit('loopscope/loopUnblocked', { type: 'loopUnblocked', blockedMs: m.blockedMs, taskId: m.taskId, taskName: m.taskName, steps: m.steps, location: m.location, text: 'the JavaScript debugger holds the program' });
  }

  /** The loop stopped, ran again on the user's command, or the runtime went away: no pause is waiting any more. */
  settled(): void {
    this.pauseWaiting = false;
    this.pauseExplained = false;
  }

  /** The connection to the runtime ended. */
  reset(): void {
    this.current = null;
    this.jsPaused = false;
    this.settled();
  }

  private explainPause(waitedMs: number): void {
    const blocked = this.current;
    this.pauseExplained = blocked !== null;
    const text = pauseWaitsSentence(blocked, waitedMs);
    this.out.say(`${text}\n`, 'important');
    this.out.emit('loopscope/pauseWaiting', blocked === null ? { text } : { text, blocked });
  }
}
