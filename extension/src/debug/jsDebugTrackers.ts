/**
 * DebugAdapterTrackers that make VS Code's JavaScript debugger and Loopscope work as one on the same
 * program: await-line breakpoints (awaitLineBreakpoints.ts: js-debug's setBreakpoints requests are
 * edited on the way in and its answers on the way out; VS Code hands a tracker the very messages it
 * sends and receives) and pauses (jsDebugPauses.ts).
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DEBUG_TYPE, type CustomEvents } from '../../../adapter/src/dapCustom';
import { restoreAnswer, takeAwaitLineBreakpoints } from './awaitLineBreakpoints';
import { JsDebugPauses } from './jsDebugPauses';
import { loopscopeRoot } from '../session/rootSession';

/** The text of a source's lines: the open editor's (unsaved edits included), else the file's. */
function sourceLines(path: string): string[] {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  if (doc) return doc.getText().split(/\r?\n/);
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

export function createAwaitLineTracker(): vscode.DebugAdapterTracker {
  /** setBreakpoints request seq → positions taken out and their lines. */
  const pending = new Map<number, { taken: number[]; lines: number[] }>();
  return {
    onWillReceiveMessage(message: DebugProtocol.ProtocolMessage) {
      const req = message as DebugProtocol.SetBreakpointsRequest;
      if (req.type !== 'request' || req.command !== 'setBreakpoints' || !req.arguments?.source?.path) return;
      const original = req.arguments.breakpoints ?? [];
      const lines = sourceLines(req.arguments.source.path);
      const taken = takeAwaitLineBreakpoints(req.arguments, (line) => lines[line - 1]);
      if (taken) pending.set(req.seq, { taken, lines: taken.map((i) => original[i]!.line) });
    },
    onDidSendMessage(message: DebugProtocol.ProtocolMessage) {
      const res = message as DebugProtocol.SetBreakpointsResponse;
      if (res.type !== 'response' || res.command !== 'setBreakpoints') return;
      const p = pending.get(res.request_seq);
      if (!p) return;
      pending.delete(res.request_seq);
      restoreAnswer(res.body, p.taken, p.lines);
    },
  };
}

/**
 * The trackers on the JavaScript debugger's sessions under Loopscope sessions (await-line
 * breakpoints, pauses) and on Loopscope sessions (resuming the paused JavaScript children).
 */
export function registerJsDebugTrackers(): vscode.Disposable {
  const pauses = new JsDebugPauses();
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
      createDebugAdapterTracker: (session) => {
        // Only a JavaScript session under a Loopscope session (its parent's root).
        if (!loopscopeRoot(session.parentSession)) return undefined;
        const breakpoints = createAwaitLineTracker();
        const paused = pauses.trackJs(session);
        return {
          onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
            breakpoints.onWillReceiveMessage!(m);
            paused.onWillReceiveMessage!(m);
          },
          onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => {
            breakpoints.onDidSendMessage!(m);
            paused.onDidSendMessage!(m);
          },
          onWillStopSession: () => paused.onWillStopSession!(),
          onExit: (code: number | undefined, signal: string | undefined) => paused.onExit!(code, signal),
        };
      },
    }),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, { createDebugAdapterTracker: (session) => pauses.trackLoopscope(session) }),
    // A pause the blocked loop keeps from taking effect: show where the blocking step runs.
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== 'loopscope/pauseWaiting') return;
      const body = e.body as CustomEvents['loopscope/pauseWaiting'];
      if (body.blocked !== undefined) void pauses.pauseChildrenOf(e.session);
    }),
  );
}
