/**
 * A status bar item with the number of tasks in each state while a Loopscope session runs
 * ("$(play-circle) 1 $(debug-pause) 498 $(pass) 20"); clicking it shows the Tasks view.
 */
import * as vscode from 'vscode';
import type { StateCounts } from './model/stateCounts';
import { followCurrentModel } from './session/followCurrent';
import type { LoopscopeSessions } from './session/loopscopeSessions';
import { STATUS_ICONS } from './tasksView/stateIcons';
import { TASKS_VIEW_ID } from './tasksView/tasksView';

export function statusText(counts: StateCounts): string {
  const parts = STATUS_ICONS.filter(([state]) => counts[state] > 0).map(([state, icon]) => `$(${icon}) ${counts[state].toLocaleString('en-US')}`);
  return parts.length ? parts.join(' ') : '$(debug-pause) no tasks';
}

export function statusTooltip(counts: StateCounts, paused: boolean): string {
  const rows = STATUS_ICONS.map(([state]) => `${state}: ${counts[state].toLocaleString('en-US')}`);
  return `Loopscope tasks${paused ? ' (paused)' : ''}\n${rows.join('\n')}\nClick to show the Tasks view.`;
}

export function createStatusBar(sessions: LoopscopeSessions): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('loopscope.taskCounts', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Loopscope Tasks';
  item.command = `${TASKS_VIEW_ID}.focus`;
  const sub = followCurrentModel(sessions, (u, state) => {
    if (!state || state.ended) return item.hide();
    if (u !== 'switched' && !u.counts) return;
    const counts = state.model.counter.counts;
    item.text = statusText(counts);
    item.tooltip = statusTooltip(counts, !!state.stopped);
    item.show();
  });
  return vscode.Disposable.from(sub, item);
}
