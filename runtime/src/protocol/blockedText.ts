/**
 * The blocked loop in words, the same in every view (the adapter's console, the extension's status
 * bar, the terminal inspector): from the watchdog's messages (watchdogWire.ts).
 */
import { formatDuration, shortLocation } from './describe';
import type { BlockingStep, LoopBlockedMessage, LoopUnblockedMessage } from './watchdogWire';

/** `worker-3 (#5)`, or '' when no task step holds the loop. */
export function blockerName(step: BlockingStep): string {
  if (step.taskId === undefined) return '';
  return `${step.taskName ?? `Task-${step.taskId}`} (#${step.taskId})`;
}

/** `by worker-3 (#5) at crawler.ts:40` / `by worker-3 (#5) in its first step` / `outside any task step`. */
export function blockerPhrase(step: BlockingStep): string {
  const who = blockerName(step);
  if (who === '') return 'outside any task step';
  if (step.location) return `by ${who} at ${shortLocation(step.location)}`;
  return step.steps === 1 ? `by ${who} in its first step` : `by ${who}`;
}

/** The short form, for a status bar or a live view: `loop blocked 2.3 s by worker-3 (#5) at crawler.ts:40`. */
export function blockedShort(m: LoopBlockedMessage): string {
  return `loop blocked ${formatDuration(m.blockedMs)} ${blockerPhrase(m)}`;
}

/** One sentence: `The loop has been blocked for 2.3 s by worker-3 (#5), which resumed at crawler.ts:40.` */
export function blockedSentence(m: LoopBlockedMessage): string {
  const who = blockerName(m);
  if (who === '') return `The loop has been blocked for ${formatDuration(m.blockedMs)}, outside any task step (the main thread is busy, or a JavaScript debugger holds it).`;
  const where = m.location ? `, which resumed at ${shortLocation(m.location)}` : m.steps === 1 ? ', in its first step' : '';
  return `The loop has been blocked for ${formatDuration(m.blockedMs)} by task ${who}${where}: it runs without giving the loop back (a synchronous loop or call).`;
}

/** `The loop runs again after being blocked for 1.5 s by worker-3 (#5) at crawler.ts:40.` */
export function unblockedSentence(m: LoopUnblockedMessage): string {
  return `The loop runs again after being blocked for ${formatDuration(m.blockedMs)} ${blockerPhrase(m)}.`;
}

/** What a pause the runtime could not answer in time is waiting for. */
export function pauseWaitsSentence(m: LoopBlockedMessage | null, waitedMs: number): string {
  if (m === null) return `The program has not answered the pause within ${formatDuration(waitedMs)}: its loop may be blocked by a task that does not give it back. The pause takes effect when it does.`;
  const who = blockerName(m);
  const by = who === '' ? 'outside any task step' : `by task ${who}${m.location ? ` at ${shortLocation(m.location)}` : ''}`;
  return `The loop is blocked ${by} (running for ${formatDuration(m.blockedMs)}): the pause takes effect when it gives the loop back.`;
}
