/**
 * Selecting a task follows into the Call Stack, and back: a task selected in the Tasks view (or the
 * Task Inspector) asks the adapter to focus its thread (`loopscope/focusTask`; the adapter lists and
 * selects it when the loop is stopped), and a thread selected in the Call Stack selects its task's
 * row. Threads of a Loopscope session are its tasks: thread id = task id.
 */
import * as vscode from 'vscode';
import { errorText, log } from '../log';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';
import { customRequest } from '../session/customRequest';
import type { LoopscopeSessions } from '../session/loopscopeSessions';
import type { TaskSelection } from './taskSelection';
import type { TreeNode } from '../model/treeNodes';

export function syncCallStack(view: vscode.TreeView<TreeNode>, sessions: LoopscopeSessions, selection: TaskSelection): vscode.Disposable {
  const subscriptions = [
    view.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node && (node.kind === 'task' || node.kind === 'readyItem')) selection.select(node.taskId, 'tree');
    }),
    selection.onDidChange(({ taskId, source }) => {
      const live = sessions.live;
      if (taskId === null || !live) return;
      if (source !== 'callStack' && live.stopped) void customRequest(live.session, 'loopscope/focusTask', { taskId }).then(undefined, () => undefined);
      if (source !== 'tree') void revealTask(view, sessions, taskId);
    }),
    vscode.debug.onDidChangeActiveStackItem((item) => {
      if (!item || item.session.type !== DEBUG_TYPE || sessions.stateOf(item.session) !== sessions.current) return;
      selection.select(item.threadId, 'callStack');
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

/** Shows and selects a task's row (widening pages and expanding its ancestors as needed). */
export async function revealTask(view: vscode.TreeView<TreeNode>, sessions: LoopscopeSessions, taskId: number): Promise<boolean> {
  const model = sessions.current?.model;
  const node = model?.prepareReveal(taskId);
  if (!node) return false;
  try {
    await view.reveal(node, { select: true, focus: false, expand: false });
    return true;
  } catch (e) {
    // The row went away meanwhile, or the view was being refreshed.
    log().info(`could not reveal task #${taskId} in the Tasks view: ${errorText(e)}`);
    return false;
  }
}
