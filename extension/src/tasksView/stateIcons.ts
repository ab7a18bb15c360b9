/**
 * The icon and colour of each task state in the Tasks view (and of stuck tasks and cycle members,
 * which override their state's icon so they stand out).
 */
import * as vscode from 'vscode';
import type { TaskState } from '../../../runtime/src/protocol/wire';
import type { StuckTask } from '../../../runtime/src/protocol/forest';

const BY_STATE: Record<TaskState, [icon: string, color: string]> = {
  running: ['play-circle', 'charts.green'],
  ready: ['arrow-circle-right', 'charts.blue'],
  suspended: ['debug-pause', 'charts.yellow'],
  done: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
};

export function stateIcon(state: TaskState, stuck?: StuckTask): vscode.ThemeIcon {
  if (stuck?.reason === 'cycle') return new vscode.ThemeIcon('sync', new vscode.ThemeColor('errorForeground'));
  if (stuck) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  const [icon, color] = BY_STATE[state];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/** Codicon per state for the status bar, in display order. */
export const STATUS_ICONS: [TaskState, string][] = [
  ['running', 'play-circle'],
  ['ready', 'arrow-circle-right'],
  ['suspended', 'debug-pause'],
  ['done', 'pass'],
  ['failed', 'error'],
  ['cancelled', 'circle-slash'],
];
