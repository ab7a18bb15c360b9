/**
 * Commands of the Tasks view's title bar and the debug toolbar: filter, search, folding, grouping,
 * show more, refresh, and stepping the scheduler; and "Show Only Tasks Suspended Here" on a row.
 */
import * as vscode from 'vscode';
import { reportFailure } from '../log';
import type { MoreNode, TreeNode } from '../model/treeNodes';
import { customRequest } from '../session/customRequest';
import type { LoopscopeSessions } from '../session/loopscopeSessions';
import type { TasksView } from '../tasksView/tasksView';
import { SHOW_MORE_COMMAND, siteOfRow } from '../tasksView/taskTreeItem';

export const ViewCommand = {
  hideFinished: 'loopscope.tasks.hideFinished',
  showFinished: 'loopscope.tasks.showFinished',
  fold: 'loopscope.tasks.foldIdentical',
  unfold: 'loopscope.tasks.unfoldIdentical',
  search: 'loopscope.tasks.search',
  clearSearch: 'loopscope.tasks.clearSearch',
  refresh: 'loopscope.tasks.refresh',
  groupByLocation: 'loopscope.tasks.groupByLocation',
  groupByCreator: 'loopscope.tasks.groupByCreator',
  showOnlyHere: 'loopscope.tasks.showOnlyHere',
  clearSiteFilter: 'loopscope.tasks.clearSiteFilter',
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
    vscode.commands.registerCommand(ViewCommand.groupByLocation, after(() => provider.setGroupBy('location'))),
    vscode.commands.registerCommand(ViewCommand.groupByCreator, after(() => provider.setGroupBy('creator'))),
    vscode.commands.registerCommand(ViewCommand.clearSiteFilter, after(() => provider.setSiteFilter(null))),
    vscode.commands.registerCommand(ViewCommand.showOnlyHere, (node: TreeNode | undefined) => {
      const model = provider.model;
      const site = node && model ? siteOfRow(node, model) : undefined;
      if (!site) return void vscode.window.showInformationMessage('Pick a suspended task or a location group in the Tasks view: only tasks suspended at a known line can be shown alone.');
      provider.setSiteFilter(site);
      tasks.refreshChrome();
    }),
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
