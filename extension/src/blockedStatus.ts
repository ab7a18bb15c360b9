/**
 * A status bar item shown while the current Loopscope session's loop is blocked by a task that does
 * not give it back: "⚠ loop blocked 2.3 s by worker-3 (#5) at crawler.ts:40", counting up, on the
 * warning background; clicking it shows the Tasks view. Hidden as soon as the loop runs again.
 */
import * as vscode from 'vscode';
import { BlockedLoops } from './model/blockedLoops';
import type { LoopscopeSessions } from './session/loopscopeSessions';
import { TASKS_VIEW_ID } from './tasksView/tasksView';

/** How often the shown duration is counted on while the loop is blocked (ms). */
const TICK_MS = 200;

export function createBlockedStatus(sessions: LoopscopeSessions): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('loopscope.loopBlocked', vscode.StatusBarAlignment.Left, 9);
  item.name = 'Loopscope Blocked Loop';
  item.command = `${TASKS_VIEW_ID}.focus`;
  const blocks = new BlockedLoops();
  let ticker: ReturnType<typeof setInterval> | null = null;

  const show = (): void => {
    const current = sessions.current;
    const text = current && !current.ended ? blocks.text(current.session.id, Date.now()) : null;
    if (text === null) {
      item.hide();
      item.backgroundColor = undefined;
    } else {
      item.text = `$(warning) ${text}`;
      item.tooltip = `The event loop is blocked: ${text}. No other task runs until this one gives the loop back (a synchronous loop or call in its step). Pause takes effect then; the JavaScript debugger shows where it runs.`;
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      item.show();
    }
    // Counting on only while some loop is blocked.
    if (blocks.any && ticker === null) ticker = setInterval(show, TICK_MS);
    else if (!blocks.any && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
  };

  const subs = [
    sessions.onDidReceive(({ state, event, body }) => {
      if (blocks.onEvent(state.session.id, event, body, Date.now())) show();
    }),
    sessions.onDidChangeCurrent(show),
    sessions.onDidEnd((state) => {
      blocks.forget(state.session.id);
      show();
    }),
  ];
  return vscode.Disposable.from(...subs, item, { dispose: () => ticker !== null && clearInterval(ticker) });
}
