/**
 * Has the runtime record the timeline only while someone looks at it. Streaming every task step
 * costs the program about 3x on task switches (against about 1.25x with the agent alone), so a
 * session records it from the start only when its launch configuration says `timeline: true`;
 * otherwise this turns it on (`loopscope/setOptions`) while the Task Inspector shows its Timeline
 * tab, and off again when the tab or the panel is hidden, the panel is closed, or another session
 * becomes the current one.
 */
import type * as vscode from 'vscode';
import type { LoopscopeSessions, SessionState } from '../session/loopscopeSessions';
import { customRequest } from '../session/customRequest';

export class TimelineRecording implements vscode.Disposable {
  private showing = false;
  /**
   * What was last asked of each session: true or false, or undefined when the request failed (the
   * runtime's setting is then unknown and is asked again). A session absent here was never asked,
   * so it records as its launch configuration says.
   */
  private readonly asked = new Map<SessionState, boolean | undefined>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sessions: LoopscopeSessions) {
    this.disposables = [
      // Also fires when the current session's status changes: its runtime connecting is when a
      // session started while the timeline was showing can be asked.
      sessions.onDidChangeCurrent(() => this.sync()),
      sessions.onDidEnd((s) => this.asked.delete(s)),
    ];
  }

  /** Whether the Timeline tab is on screen now. */
  setShowing(showing: boolean): void {
    if (showing === this.showing) return;
    this.showing = showing;
    this.sync();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private sync(): void {
    const live = this.sessions.live;
    for (const [state, value] of this.asked) {
      if (state === live) continue;
      if (state.ended) this.asked.delete(state);
      else if (value !== false) this.ask(state, false);
    }
    // Requests before the runtime connects fail (the adapter has nothing to pass them to).
    if (!live || live.status?.state !== 'connected' || recordsFromStart(live)) return;
    const value = this.asked.get(live);
    if (this.showing ? value === true : value === false || !this.asked.has(live)) return;
    this.ask(live, this.showing);
  }

  private ask(state: SessionState, timeline: boolean): void {
    this.asked.set(state, timeline);
    customRequest(state.session, 'loopscope/setOptions', { timeline }).catch(() => {
      // The session may have ended meanwhile; if not, the next change asks again.
      if (this.asked.get(state) === timeline) this.asked.set(state, undefined);
    });
  }
}

/** The launch configuration asked for the timeline: it stays on whatever the panel shows. */
function recordsFromStart(state: SessionState): boolean {
  return state.session.configuration.timeline === true;
}
