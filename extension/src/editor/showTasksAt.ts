/**
 * The command behind an await-site decoration's link: lists the tasks suspended at that line; the
 * one picked is selected in the Tasks view (and its thread in the Call Stack when paused).
 */
import * as vscode from 'vscode';
import { describeAwait } from '../../../runtime/src/protocol/describe';
import type { LoopscopeSessions } from '../session/loopscopeSessions';
import { contextFor } from '../tasksView/taskTreeItem';
import type { TaskSelection } from '../tasksView/taskSelection';
import { TASKS_VIEW_ID } from '../tasksView/tasksView';
import { SHOW_TASKS_AT_COMMAND } from './awaitDecorations';

export function registerShowTasksAt(sessions: LoopscopeSessions, selection: TaskSelection): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_TASKS_AT_COMMAND, async (file: string, line: number) => {
    const model = sessions.current?.model;
    if (!model || typeof file !== 'string' || !Number.isInteger(line)) return;
    const ctx = contextFor(model);
    const items = model.sites.tasksAt(file, line).flatMap((id) => {
      const t = model.store.tasks.get(id);
      return t ? [{ label: t.name, description: `#${t.id}`, detail: t.awaiting ? describeAwait(t.awaiting, ctx) : undefined, id }] : [];
    });
    if (!items.length) return void vscode.window.showInformationMessage('No task is suspended at this line any more.');
    const picked = await vscode.window.showQuickPick(items, { title: `Tasks suspended at line ${line}`, matchOnDescription: true, matchOnDetail: true });
    if (!picked) return;
    await vscode.commands.executeCommand(`${TASKS_VIEW_ID}.focus`);
    selection.select(picked.id, 'editor');
  });
}
