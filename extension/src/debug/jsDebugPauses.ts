/**
 * Keeps the program's two debuggers in step when the JavaScript one is paused by Loopscope's stop.
 * At a task breakpoint the runtime also stops VS Code's JavaScript debugger (so the coroutine's
 * locals are there); while it holds the process, the runtime cannot act on Loopscope's commands. So
 * when the user continues or steps the Loopscope session, its JavaScript child is continued first.
 * (Continuing the JavaScript session alone leaves the loop stopped: Loopscope still holds it.)
 */
import type * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loopscopeRoot } from '../session/rootSession';

/** Loopscope requests after which the program must run. */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'loopscope/stepScheduler']);

export class JsDebugPauses {
  /** Paused JavaScript sessions under a Loopscope session: session → the paused thread. */
  private readonly paused = new Map<vscode.DebugSession, number>();

  /** A tracker for a JavaScript session under a Loopscope session: notes its pauses. */
  trackJs(session: vscode.DebugSession): Pick<vscode.DebugAdapterTracker, 'onDidSendMessage' | 'onExit' | 'onWillStopSession'> {
    return {
      onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type !== 'event') return;
        const e = m as DebugProtocol.Event;
        if (e.event === 'stopped') this.paused.set(session, (e as DebugProtocol.StoppedEvent).body.threadId ?? 0);
        else if (e.event === 'continued' || e.event === 'terminated') this.paused.delete(session);
      },
      onWillStopSession: () => void this.paused.delete(session),
      onExit: () => void this.paused.delete(session),
    };
  }

  /** A tracker for a Loopscope session: continues its paused JavaScript children when it resumes. */
  trackLoopscope(session: vscode.DebugSession): Pick<vscode.DebugAdapterTracker, 'onWillReceiveMessage'> {
    return {
      onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
        if (m.type === 'request' && RESUMING.has((m as DebugProtocol.Request).command)) this.resumeChildrenOf(session);
      },
    };
  }

  private resumeChildrenOf(root: vscode.DebugSession): void {
    for (const [js, threadId] of this.paused) {
      if (loopscopeRoot(js) !== root) continue;
      this.paused.delete(js);
      // js-debug continues every thread of the target on 'continue'.
      void Promise.resolve(js.customRequest('continue', { threadId })).then(undefined, () => undefined);
    }
  }
}
