/**
 * Commands on one task (the Tasks view's context menu, the Task Inspector): cancel it, freeze or thaw
 * it (it takes no step while frozen: a user can force an ordering to reproduce a race), reveal where
 * it is suspended or where it was created, break on its next resume, copy its await chain. Each
 * acts on the task of the row it was invoked on, or on the selected task.
 */
import * as vscode from 'vscode';
import { log, reportFailure } from '../log';
import type { TaskRecord } from '../../../runtime/src/protocol/wire';
import { formatAwaitChain } from '../model/awaitChainText';
import type { TreeNode } from '../model/treeNodes';
import { customRequest } from '../session/customRequest';
import type { LoopscopeSessions, SessionState } from '../session/loopscopeSessions';
import { contextFor } from '../tasksView/taskTreeItem';
import type { TaskSelection } from '../tasksView/taskSelection';
import { revealFrame } from './revealSource';

export const TaskCommand = {
  cancel: 'loopscope.tasks.cancel',
  freeze: 'loopscope.tasks.freeze',
  thaw: 'loopscope.tasks.thaw',
  revealSuspension: 'loopscope.tasks.revealSuspension',
  revealCreation: 'loopscope.tasks.revealCreation',
  breakOnResume: 'loopscope.tasks.breakOnResume',
  copyAwaitChain: 'loopscope.tasks.copyAwaitChain',
} as const;

/**
 * A task command's argument: a tree row, a task id (the inspector, a hover link), a Call Stack
 * thread (`debug/callstack/context`: its thread id is the task id), or nothing (the selected task).
 */
export type TaskArg = TreeNode | number | { threadId: number } | undefined;

function taskIdOf(arg: TaskArg): number | undefined {
  if (typeof arg === 'number') return arg;
  if (!arg || typeof arg !== 'object') return undefined;
  if ('kind' in arg) return arg.kind === 'task' || arg.kind === 'readyItem' ? arg.taskId : undefined;
  return typeof arg.threadId === 'number' ? arg.threadId : undefined;
}

interface Target {
  state: SessionState;
  task: TaskRecord;
}

export function registerTaskCommands(sessions: LoopscopeSessions, selection: TaskSelection): vscode.Disposable {
  const target = (arg: TaskArg, needLive: boolean): Target | undefined => {
    const state = needLive ? sessions.live : sessions.current;
    if (!state) {
      void vscode.window.showInformationMessage(needLive ? 'No Loopscope debug session is running.' : 'No Loopscope debug session.');
      return undefined;
    }
    const id = taskIdOf(arg) ?? selection.taskId ?? undefined;
    const task = id === undefined ? undefined : state.model.store.tasks.get(id);
    if (!task) {
      void vscode.window.showInformationMessage(id === undefined ? 'Select a task in the Tasks view first.' : `Task #${id} is no longer known.`);
      return undefined;
    }
    return { state, task };
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(TaskCommand.cancel, async (arg: TaskArg) => {
      const t = target(arg, true);
      if (!t) return;
      try {
        const { cancelled } = await customRequest(t.state.session, 'loopscope/cancelTask', { taskId: t.task.id, message: 'cancelled from VS Code' });
        log().info(`cancel ${t.task.name} (#${t.task.id}): ${cancelled ? 'requested' : 'already finished'}`);
        if (!cancelled) void vscode.window.showInformationMessage(`Task ${t.task.name} was not cancelled: it has already finished.`);
      } catch (e) {
        reportFailure(`cancel ${t.task.name}`, e);
      }
    }),
    vscode.commands.registerCommand(TaskCommand.freeze, async (arg: TaskArg) => {
      const t = target(arg, true);
      if (!t) return;
      try {
        const { frozen } = await customRequest(t.state.session, 'loopscope/freezeTask', { taskId: t.task.id });
        log().info(`freeze ${t.task.name} (#${t.task.id}): ${frozen ? 'frozen' : 'already frozen'}`);
        vscode.window.setStatusBarMessage(`Loopscope: ${t.task.name} is frozen: it takes no step until thawed`, 4000);
      } catch (e) {
        reportFailure(`freeze ${t.task.name}`, e);
      }
    }),
    vscode.commands.registerCommand(TaskCommand.thaw, async (arg: TaskArg) => {
      const t = target(arg, true);
      if (!t) return;
      try {
        const { thawed } = await customRequest(t.state.session, 'loopscope/thawTask', { taskId: t.task.id });
        log().info(`thaw ${t.task.name} (#${t.task.id}): ${thawed ? 'thawed' : 'was not frozen'}`);
        if (thawed) vscode.window.setStatusBarMessage(`Loopscope: ${t.task.name} thawed`, 4000);
        else void vscode.window.showInformationMessage(`Task ${t.task.name} was not frozen.`);
      } catch (e) {
        reportFailure(`thaw ${t.task.name}`, e);
      }
    }),
    vscode.commands.registerCommand(TaskCommand.revealSuspension, async (arg: TaskArg) => {
      const t = target(arg, false);
      if (!t) return;
      if (!t.task.location) return void vscode.window.showInformationMessage(`Where ${t.task.name} is suspended is not known.`);
      await revealFrame(t.task.location);
    }),
    vscode.commands.registerCommand(TaskCommand.revealCreation, async (arg: TaskArg) => {
      const t = target(arg, false);
      if (!t) return;
      if (!t.task.createdAt) return void vscode.window.showInformationMessage(`Where ${t.task.name} was created is not known.`);
      await revealFrame(t.task.createdAt);
    }),
    vscode.commands.registerCommand(TaskCommand.breakOnResume, async (arg: TaskArg) => {
      const t = target(arg, true);
      if (!t) return;
      try {
        await customRequest(t.state.session, 'loopscope/breakOnResume', { taskId: t.task.id });
        vscode.window.setStatusBarMessage(`Loopscope: will stop when ${t.task.name} next resumes`, 4000);
      } catch (e) {
        reportFailure(`break on ${t.task.name}'s next resume`, e);
      }
    }),
    vscode.commands.registerCommand(TaskCommand.copyAwaitChain, async (arg: TaskArg) => {
      const t = target(arg, true);
      if (!t) return;
      try {
        const details = await customRequest(t.state.session, 'loopscope/taskDetails', { taskId: t.task.id });
        await vscode.env.clipboard.writeText(formatAwaitChain(details, contextFor(t.state.model)));
        vscode.window.setStatusBarMessage(`Loopscope: await chain of ${t.task.name} copied`, 3000);
      } catch (e) {
        reportFailure(`read the await chain of ${t.task.name}`, e);
      }
    }),
  );
}
