/**
 * The blocked-loop watchdog's messages (docs/protocol.md, "The loop watchdog"). A task that runs a
 * synchronous loop blocks the event loop and the runtime's agent with it, so these come from a
 * worker thread in the program over a second connection the debugger opens to it.
 */
import type { Frame } from './wire';

/** Runtime → debugger, on the main connection: the watchdog listens on this loopback port; connect with the session's secret. */
export interface WatchdogMessage {
  type: 'watchdog';
  port: number;
  /** How long the loop must be blocked before it is reported (ms). */
  thresholdMs?: number;
}

/** Which task step holds the loop (absent when the main thread is busy outside any task step). */
export interface BlockingStep {
  taskId?: number;
  taskName?: string;
  /** The task's step count: with taskId, names the step. */
  steps?: number;
  /** Where the task resumed for this step (its innermost await site); absent in its first step or in code the await-site transform did not see. */
  location?: Frame;
}

/** Watchdog → debugger: the loop has been blocked for `blockedMs`; sent when it passes the threshold, then every second while it lasts. */
export interface LoopBlockedMessage extends BlockingStep {
  type: 'loopBlocked';
  blockedMs: number;
  thresholdMs?: number;
}

/** Watchdog → debugger: the loop runs again after being blocked for `blockedMs`. */
export interface LoopUnblockedMessage extends BlockingStep {
  type: 'loopUnblocked';
  blockedMs: number;
}
