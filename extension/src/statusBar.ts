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

export function statusText(counts: StateCounts, frozen = 0): string {
  const parts = STATUS_ICONS.filter(([state]) => counts[state] > 0).map(([state, icon]) => `$(${icon}) ${counts[state].toLocaleString('en-US')}`);
  // Frozen tasks are counted in their states too; said apart because they explain a program that seems stuck.
  if (frozen > 0) parts.push(`\u2744 ${frozen.toLocaleString('en-US')} frozen`);
  return parts.length ? parts.join(' ') : '$(debug-pause) no tasks';
}

export function statusTooltip(counts: StateCounts, paused: boolean, frozen = 0): string {
  const rows = STATUS_ICONS.map(([state]) => `${state}: ${counts[state].toLocaleString('en-US')}`);
  if (frozen > 0) rows.push(`frozen: ${frozen.toLocaleString('en-US')} (they take no step until thawed: Thaw Task in the Tasks view)`);
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
    const frozen = state.model.counter.frozen;
    item.text = statusText(counts, frozen);
    item.tooltip = statusTooltip(counts, !!state.stopped, frozen);
    item.show();
  });
  return vscode.Disposable.from(sub, item);
}
