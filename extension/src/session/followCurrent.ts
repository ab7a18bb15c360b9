/**
 * Subscribes to the current session's model updates, moving the subscription along when the current
 * session changes (the listener is then called with 'switched' so it can redraw everything).
 */
import type * as vscode from 'vscode';
import type { ModelUpdate } from '../model/taskTreeModel';
import type { LoopscopeSessions, SessionState } from './loopscopeSessions';

export function followCurrentModel(
  sessions: LoopscopeSessions,
  listener: (update: ModelUpdate | 'switched', state: SessionState | undefined) => void,
): vscode.Disposable {
  let shown: SessionState | undefined;
  let unsubscribe: (() => void) | undefined;
  const follow = (state: SessionState | undefined) => {
    if (state !== shown) {
      unsubscribe?.();
      unsubscribe = state?.model.onDidUpdate((u) => listener(u, state));
      shown = state;
    }
    listener('switched', state);
  };
  const sub = sessions.onDidChangeCurrent(follow);
  if (sessions.current) follow(sessions.current);
  return {
    dispose() {
      unsubscribe?.();
      sub.dispose();
    },
  };
}
