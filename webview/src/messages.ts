/**
 * Messages between the extension (host) and the Task Inspector webview, typed once for both sides.
 * The host forwards the runtime's snapshot/delta stream as it arrives; the webview keeps its own model.
 * No DOM or vscode imports here.
 */
import type { SnapshotMessage, DeltaMessage, StopReason, Frame } from '../../runtime/src/protocol/wire';

/** Host → webview. */
export type HostToWebview =
  /** The whole state; the webview resets its model (a new session, or a resync). */
  | { type: 'snapshot'; snapshot: SnapshotMessage }
  /** Changes, in order, as the runtime streamed them (including timeline events when enabled). */
  | { type: 'delta'; delta: DeltaMessage }
  /** The loop stopped: the panel freezes and becomes explorable. */
  | { type: 'stopped'; reason: StopReason; taskId?: number; description: string }
  /** The loop runs again: the panel follows live. */
  | { type: 'continued' }
  /** The debug session ended: keep showing the last state, marked as ended. */
  | { type: 'ended' }
  /** The task selected elsewhere (Tasks view, Call Stack): highlight it. */
  | { type: 'select'; taskId: number | null };

/** Webview → host. */
export type WebviewToHost =
  /** The webview is loaded and wants the current state. */
  | { type: 'ready' }
  /** Open this source location in the editor. */
  | { type: 'reveal'; frame: Frame }
  /** The user selected a task in the panel. */
  | { type: 'selectTask'; taskId: number }
  /** The user asked to cancel a task. */
  | { type: 'cancelTask'; taskId: number }
  /**
   * The tab the page shows, sent when it loads and whenever the user switches tabs: the host has
   * the runtime record the timeline (which costs every task step) only while it is 'timeline'.
   */
  | { type: 'view'; view: PersistedState['view'] };

/** What the webview persists with getState/setState (survives the panel being hidden or VS Code reloading it). */
export interface PersistedState {
  view: 'graph' | 'timeline' | 'exceptions';
  selectedTaskId: number | null;
  /** Timeline viewport: loop ms at the left edge and ms per pixel. */
  timeline: { start: number; msPerPx: number; follow: boolean };
  /** Graph filter text. */
  filter: string;
}
