/**
 * Activates the extension against the vscode test double and drives a fake Loopscope debug
 * session: tests import this after `vi.mock('vscode', ...)`.
 */
import * as vscode from 'vscode';
import { activate } from '../../extension/src/extension';
import { fake, resetFake, FakeDebugSession, type FakeTreeView } from './fakes/vscode';
import type { CustomEventName, CustomEvents } from '../../adapter/src/dapCustom';
import type { TreeNode } from '../../extension/src/model/treeNodes';

export interface Harness {
  context: { subscriptions: { dispose(): unknown }[]; extensionUri: vscode.Uri };
  session: FakeDebugSession;
  view: FakeTreeView<TreeNode>;
  emit<K extends CustomEventName>(event: K, body: CustomEvents[K]): void;
  run(command: string, ...args: unknown[]): Promise<unknown>;
  dispose(): void;
}

export function activateWithSession(answers: Record<string, unknown> = {}): Harness {
  resetFake();
  const context = { subscriptions: [] as { dispose(): unknown }[], extensionUri: vscode.Uri.file('/ext') };
  activate(context as unknown as vscode.ExtensionContext);
  const session = new FakeDebugSession('s1', 'loopscope', { 'loopscope/readyQueue': { taskIds: [], callbacks: 0 }, ...answers });
  fake.debugEvents.start.fire(session);
  const view = fake.treeViews.find((v) => v.id === 'loopscope.tasks') as FakeTreeView<TreeNode>;
  return {
    context,
    session,
    view,
    emit: (event, body) => fake.debugEvents.custom.fire({ session, event, body }),
    run: (command, ...args) => vscode.commands.executeCommand(command, ...args) as Promise<unknown>,
    dispose: () => context.subscriptions.forEach((d) => d.dispose()),
  };
}
