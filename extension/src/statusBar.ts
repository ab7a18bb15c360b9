/**
 * A status bar item with the number of tasks in each state while a Loopscope session runs
 * ("$(play-circle) 1 $(debug-pause) 498 $(pass) 20"), and the loop's lag while it runs ("loop lag
 * 0.3 ms": the mean time a step waited in the ready queue over the last second, from the runtime's
 * loopLag); clicking it shows the Tasks view.
 */
import * as vscode from 'vscode';
import type { StateCounts } from './model/stateCounts';
import type { LoopLagMessage } from '../../runtime/src/protocol/wire';
import { formatDuration } from '../../runtime/src/protocol/describe';
import { formatTaskTime } from '../../runtime/src/protocol/taskTimesText';
import { followCurrentModel } from './session/followCurrent';
import type { LoopscopeSessions, SessionState } from './session/loopscopeSessions';
import { STATUS_ICONS } from './tasksView/stateIcons';
import { TASKS_VIEW_ID } from './tasksView/tasksView';

export function statusText(counts: StateCounts, frozen = 0): string {
  const parts = STATUS_ICONS.filter(([state]) => counts[state] > 0).map(([state, icon]) => `$(${icon}) ${counts[state].toLocaleString('en-US')}`);
  // Frozen tasks are counted in their states too; said apart because they explain a program that seems stuck.
  if (frozen > 0) parts.push(`\u2744 ${frozen.toLocaleString('en-US')} frozen`);
  return parts.length ? parts.join(' ') : '$(debug-pause) no tasks';
}

/** `loop lag 0.3 ms` while the loop runs steps; '' when stopped, ended, or when no step ran in the last period. */
export function lagText(lag: LoopLagMessage | undefined, running: boolean): string {
  if (!running || !lag || lag.steps === 0) return '';
  return `loop lag ${formatTaskTime(lag.meanMs)}`;
}

export function statusTooltip(counts: StateCounts, paused: boolean, frozen = 0, lag?: LoopLagMessage): string {
  const rows = STATUS_ICONS.map(([state]) => `${state}: ${counts[state].toLocaleString('en-US')}`);
  if (frozen > 0) rows.push(`frozen: ${frozen.toLocaleString('en-US')} (they take no step until thawed: Thaw Task in the Tasks view)`);
  if (!paused && lag && lag.steps > 0) {
    rows.push(`loop lag: ${formatTaskTime(lag.meanMs)} on average, ${formatTaskTime(lag.maxMs)} at most, over ${lag.steps.toLocaleString('en-US')} steps in the last ${formatDuration(lag.periodMs)} (how long a ready task waited for the loop)`);
  }
  return `Loopscope tasks${paused ? ' (paused)' : ''}\n${rows.join('\n')}\nClick to show the Tasks view.`;
}

export function createStatusBar(sessions: LoopscopeSessions): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('loopscope.taskCounts', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Loopscope Tasks';
  item.command = `${TASKS_VIEW_ID}.focus`;
  const render = (state: SessionState | undefined): void => {
    if (!state || state.ended) return item.hide();
    const counts = state.model.counter.counts;
    const frozen = state.model.counter.frozen;
    const lag = lagText(state.lag, !state.stopped);
    item.text = lag ? `${statusText(counts, frozen)} · ${lag}` : statusText(counts, frozen);
    item.tooltip = statusTooltip(counts, !!state.stopped, frozen, state.lag);
    item.show();
  };
  const sub = followCurrentModel(sessions, (u, state) => {
    if (u !== 'switched' && !u.counts) return;
    render(state);
  });
  const lagSub = sessions.onDidReceive((e) => {
    if (e.event === 'loopscope/loopLag' && e.state === sessions.current) render(e.state);
  });
  return vscode.Disposable.from(sub, lagSub, item);
}
