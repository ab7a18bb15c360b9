/**
 * The Tasks view in the Run and Debug container: the tree view itself, its message line (connection
 * status, the stop reason, an ended session, else the site filter), its description (the site
 * filter, the active search), its badge (stuck tasks) and the context keys its title-bar toggles
 * depend on.
 */
import * as vscode from 'vscode';
import type { TreeNode } from '../model/treeNodes';
import type { LoopscopeSessions, SessionState } from '../session/loopscopeSessions';
import { syncCallStack } from './callStackSync';
import type { TaskSelection } from './taskSelection';
import { TasksTreeProvider, type TreePrefs } from './tasksTreeProvider';
import { siteWords } from './taskTreeItem';

export const TASKS_VIEW_ID = 'loopscope.tasks';

export interface TasksView extends vscode.Disposable {
  view: vscode.TreeView<TreeNode>;
  provider: TasksTreeProvider;
  /** Re-applies the context keys and message after a preference changed. */
  refreshChrome(): void;
}

export function createTasksView(sessions: LoopscopeSessions, selection: TaskSelection, prefs: TreePrefs): TasksView {
  const provider = new TasksTreeProvider(sessions, prefs);
  const view = vscode.window.createTreeView(TASKS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: false });
  const refreshChrome = () => {
    const state = sessions.current;
    view.message = messageFor(state) ?? filterMessage(prefs);
    view.description = descriptionFor(prefs);
    const stuck = state?.ended ? 0 : (state?.model.findings.stuck.size ?? 0);
    view.badge = stuck ? { value: stuck, tooltip: `${stuck} stuck task${stuck === 1 ? '' : 's'}` } : undefined;
    void vscode.commands.executeCommand('setContext', 'loopscope.tasks.hideFinished', prefs.hideFinished);
    void vscode.commands.executeCommand('setContext', 'loopscope.tasks.folding', prefs.fold);
    void vscode.commands.executeCommand('setContext', 'loopscope.tasks.searching', prefs.search !== '');
    void vscode.commands.executeCommand('setContext', 'loopscope.tasks.byLocation', prefs.groupBy === 'location');
    void vscode.commands.executeCommand('setContext', 'loopscope.tasks.siteFilter', prefs.site !== null);
    void vscode.commands.executeCommand('setContext', 'loopscope.paused', !!state?.stopped);
    void vscode.commands.executeCommand('setContext', 'loopscope.sessionActive', !!sessions.live);
    void vscode.commands.executeCommand('setContext', 'loopscope.hasSession', !!state);
  };
  provider.onDidRefresh = refreshChrome;
  provider.setVisible(view.visible);
  const disposables = [
    view.onDidChangeVisibility((e) => provider.setVisible(e.visible)),
    syncCallStack(view, sessions, selection),
  ];
  refreshChrome();
  return {
    view,
    provider,
    refreshChrome,
    dispose() {
      for (const d of disposables) d.dispose();
      view.dispose();
      provider.dispose();
    },
  };
}

/** After the view's title: the site filter and the search, when set ("at crawler.ts:22 · “fetch”"). */
export function descriptionFor(prefs: TreePrefs): string | undefined {
  const parts: string[] = [];
  if (prefs.site) parts.push(`at ${siteWords(prefs.site)}`);
  if (prefs.search) parts.push(`“${prefs.search}”`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The message line while only one site's tasks show, and how to see them all again. */
export function filterMessage(prefs: TreePrefs): string | undefined {
  if (!prefs.site) return undefined;
  return `Only the tasks suspended at ${siteWords(prefs.site)}. Clear Location Filter (in the title bar) shows every task.`;
}

/** The line above the tree: what the user should know that the rows do not say. */
export function messageFor(state: SessionState | undefined): string | undefined {
  if (!state) return undefined;
  if (state.ended) return 'The debug session has ended: these are the tasks as it left them.';
  const frozen = frozenMessage(state);
  if (state.stopped) return `Paused: ${state.stopped.description}${frozen ? ` · ${frozen}` : ''}`;
  const status = state.status;
  if (status && status.state !== 'connected') return status.message;
  return frozen;
}

/**
 * How many tasks are frozen, and when frozen tasks are why others cannot go on, which: a program
 * that seems stuck must not be a puzzle ("1 task frozen · stuck because frozen: deposit-b is frozen").
 */
export function frozenMessage(state: SessionState): string | undefined {
  const n = state.model.counter.frozen;
  if (n === 0) return undefined;
  const count = `${n.toLocaleString('en-US')} task${n === 1 ? '' : 's'} frozen`;
  for (const s of state.model.findings.stuck.values()) {
    if (s.reason === 'frozen') return `${count} · ${s.text} (Thaw Task to go on)`;
  }
  return `${count}: no step until thawed (Thaw Task)`;
}
