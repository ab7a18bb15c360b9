/**
 * Commands of the Tasks view's title bar and the debug toolbar: filter, search, folding, show more,
 * refresh, and stepping the scheduler.
 */
import * as vscode from 'vscode';
import { reportFailure } from '../log';
import type { MoreNode } from '../model/treeNodes';
import { customRequest } from '../session/customRequest';
import type { LoopscopeSessions } from '../session/loopscopeSessions';
import type { TasksView } from '../tasksView/tasksView';
import { SHOW_MORE_COMMAND } from '../tasksView/taskTreeItem';

export const ViewCommand = {
  hideFinished: 'loopscope.tasks.hideFinished',
  showFinished: 'loopscope.tasks.showFinished',
  fold: 'loopscope.tasks.foldIdentical',
  unfold: 'loopscope.tasks.unfoldIdentical',
  search: 'loopscope.tasks.search',
  clearSearch: 'loopscope.tasks.clearSearch',
  refresh: 'loopscope.tasks.refresh',
  showMore: SHOW_MORE_COMMAND,
  stepScheduler: 'loopscope.stepScheduler',
} as const;

export function registerViewCommands(sessions: LoopscopeSessions, tasks: TasksView): vscode.Disposable {
  const { provider } = tasks;
  const after = (fn: () => void) => () => {
    fn();
    tasks.refreshChrome();
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(ViewCommand.hideFinished, after(() => provider.setHideFinished(true))),
    vscode.commands.registerCommand(ViewCommand.showFinished, after(() => provider.setHideFinished(false))),
    vscode.commands.registerCommand(ViewCommand.fold, after(() => provider.setFold(true))),
    vscode.commands.registerCommand(ViewCommand.unfold, after(() => provider.setFold(false))),
    vscode.commands.registerCommand(ViewCommand.clearSearch, after(() => provider.setSearch(''))),
    vscode.commands.registerCommand(ViewCommand.search, async () => {
      const text = await vscode.window.showInputBox({
        title: 'Search Tasks by Name',
        prompt: 'Tasks whose name contains this text (case-insensitive); empty shows the whole tree.',
        value: provider.prefs.search,
      });
      if (text === undefined) return;
      provider.setSearch(text);
      tasks.refreshChrome();
    }),
    vscode.commands.registerCommand(ViewCommand.showMore, (node: MoreNode) => {
      if (node?.kind === 'more') provider.showMore(node);
    }),
    vscode.commands.registerCommand(ViewCommand.refresh, async () => {
      const live = sessions.live;
      if (live) await customRequest(live.session, 'loopscope/snapshot', {}).then(undefined, () => undefined);
    }),
    vscode.commands.registerCommand(ViewCommand.stepScheduler, async () => {
      const live = sessions.live;
      if (!live) return void vscode.window.showInformationMessage('No Loopscope debug session is running.');
      try {
        await customRequest(live.session, 'loopscope/stepScheduler', {});
      } catch (e) {
        reportFailure('step the scheduler', e);
      }
    }),
  );
}
