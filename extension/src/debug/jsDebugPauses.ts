/**
 * Keeps the program's two debuggers in step when Loopscope's stop also pauses the JavaScript one.
 * At a task breakpoint the runtime stops VS Code's JavaScript debugger too (so the coroutine's locals
 * are there); while that holds the process, the runtime cannot act on Loopscope's commands, and while
 * Loopscope holds the loop, continuing JavaScript alone runs no task. So one Continue goes on in both:
 * continuing or stepping the Loopscope session continues its paused JavaScript child, and continuing
 * the JavaScript session paused by Loopscope's stop continues the Loopscope session. (A JavaScript
 * pause of its own, at a line breakpoint while the loop runs, is left alone.)
 *
 * And when a task blocks the loop, Loopscope's pause cannot act until the task gives the loop back
 * (the adapter says so in 'loopscope/pauseWaiting'): the JavaScript children are paused then, so
 * their stack shows where the blocking step is running. Continuing them lets the step go on, and
 * Loopscope's pause stops the loop when it gives the loop back. The Loopscope session is told
 * whenever its JavaScript children pause or go on ('loopscope/jsDebugPaused'): a program held by the
 * JavaScript debugger is not a task blocking the loop, though the runtime's watchdog sees the same.
 */
import type * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loopscopeRoot } from '../session/rootSession';

/** Loopscope requests after which the program must run. */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'loopscope/stepScheduler']);

interface JsPause {
  threadId: number;
  /** The pause came while Loopscope held the loop: the runtime's stop into the JavaScript debugger. */
  duringLoopscopeStop: boolean;
}

export class JsDebugPauses {
  private readonly paused = new Map<vscode.DebugSession, JsPause>();
  /** Stopped Loopscope sessions → the thread their stop named. */
  private readonly stopped = new Map<vscode.DebugSession, number>();
  /** Every JavaScript session tracked, while it lasts. */
  private readonly jsSessions = new Set<vscode.DebugSession>();

  /** A tracker for a JavaScript session under a Loopscope session. */
  trackJs(session: vscode.DebugSession): Pick<vscode.DebugAdapterTracker, 'onWillReceiveMessage' | 'onDidSendMessage' | 'onExit' | 'onWillStopSession'> {
    this.jsSessions.add(session);
    const gone = () => {
      this.jsSessions.delete(session);
      this.unpause(session);
    };
    return {
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'event') return;
        const e = m as DebugProtocol.Event;
        if (e.event === 'stopped') {
          const root = loopscopeRoot(session);
          const was = root ? this.anyPausedUnder(root) : true;
          this.paused.set(session, { threadId: (e as DebugProtocol.StoppedEvent).body.threadId ?? 0, duringLoopscopeStop: !!root && this.stopped.has(root) });
          if (root && !was) tellJsPaused(root, true);
        } else if (e.event === 'continued' || e.event === 'terminated') this.unpause(session);
      },
      onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'request' || (m as DebugProtocol.Request).command !== 'continue') return;
        const pause = this.paused.get(session);
        this.unpause(session);
        const root = loopscopeRoot(session);
        if (!pause?.duringLoopscopeStop || !root || !this.stopped.has(root)) return;
        const threadId = this.stopped.get(root)!;
        this.stopped.delete(root);
        continueSession(root, threadId);
      },
      onWillStopSession: gone,
      onExit: gone,
    };
  }

  /** A JavaScript session is not paused (any more); its Loopscope session hears when none under it is. */
  private unpause(js: vscode.DebugSession): void {
    if (!this.paused.delete(js)) return;
    const root = loopscopeRoot(js);
    if (root && !this.anyPausedUnder(root)) tellJsPaused(root, false);
  }

  private anyPausedUnder(root: vscode.DebugSession): boolean {
    for (const js of this.paused.keys()) if (loopscopeRoot(js) === root) return true;
    return false;
  }

  /**
   * Pauses the JavaScript sessions under a Loopscope session that are not paused already (each of
   * their threads): while a task blocks the loop, their stack is where its step runs.
   */
  async pauseChildrenOf(root: vscode.DebugSession): Promise<void> {
    for (const js of [...this.jsSessions]) {
      if (loopscopeRoot(js) !== root || this.paused.has(js)) continue;
      try {
        const answer = (await js.customRequest('threads')) as DebugProtocol.ThreadsResponse['body'] | undefined;
        // js-debug's launcher session has no threads; the program's session has its one.
        for (const t of answer?.threads ?? []) void Promise.resolve(js.customRequest('pause', { threadId: t.id })).then(undefined, () => undefined);
      } catch {
        // The session ended meanwhile: nothing to pause.
      }
    }
  }

  /** A tracker for a Loopscope session: notes its stops, continues its paused JavaScript children when it resumes. */
  trackLoopscope(session: vscode.DebugSession): Pick<vscode.DebugAdapterTracker, 'onWillReceiveMessage' | 'onDidSendMessage' | 'onExit'> {
    return {
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'event') return;
        const e = m as DebugProtocol.Event;
        if (e.event === 'stopped') this.stopped.set(session, (e as DebugProtocol.StoppedEvent).body.threadId ?? 0);
        else if (e.event === 'continued' || e.event === 'terminated') this.stopped.delete(session);
      },
      onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'request' || !RESUMING.has((m as DebugProtocol.Request).command)) return;
        this.stopped.delete(session);
        this.resumeChildrenOf(session);
      },
      onExit: () => void this.stopped.delete(session),
    };
  }

  private resumeChildrenOf(root: vscode.DebugSession): void {
    for (const [js, pause] of [...this.paused]) {
      if (loopscopeRoot(js) !== root) continue;
      this.unpause(js);
      // js-debug continues every thread of the target on 'continue'.
      continueSession(js, pause.threadId);
    }
  }
}

/** Tells a Loopscope session whether the JavaScript debugger holds its program; one that has ended meanwhile is no error. */
function tellJsPaused(root: vscode.DebugSession, paused: boolean): void {
  void Promise.resolve(root.customRequest('loopscope/jsDebugPaused', { paused })).then(undefined, () => undefined);
}

/** Sends DAP `continue` to a session; one that has ended meanwhile is no error. */
function continueSession(session: vscode.DebugSession, threadId: number): void {
  void Promise.resolve(session.customRequest('continue', { threadId })).then(undefined, () => undefined);
}
