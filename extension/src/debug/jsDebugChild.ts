/**
 * Runs a Loopscope program under VS Code's JavaScript debugger: when the adapter sends
 * 'loopscope/startJsDebug', a `pwa-node` child session starts under the Loopscope session, so line
 * breakpoints, locals, watch and the debug console keep working next to the task views.
 *
 * The extension does this rather than the adapter because DAP's startDebugging reverse request
 * starts a child of the adapter's own debug type in VS Code: a `loopscope` session again, not js-debug.
 */
import * as vscode from 'vscode';
import type { CustomEvents } from '../../../adapter/src/dapCustom';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';
import { errorText } from '../log';
import { customRequest } from '../session/customRequest';

export function registerJsDebugChild(): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
    if (e.session.type !== DEBUG_TYPE || e.event !== 'loopscope/startJsDebug') return;
    void startChild(e.session, (e.body as CustomEvents['loopscope/startJsDebug']).configuration);
  });
}

async function startChild(parent: vscode.DebugSession, configuration: Record<string, unknown>): Promise<void> {
  let failure: string | undefined;
  try {
    const started = await vscode.debug.startDebugging(parent.workspaceFolder, configuration as vscode.DebugConfiguration, {
      parentSession: parent,
      // Stopping or restarting the Loopscope session does the same to the program's JavaScript session.
      lifecycleManagedByParent: true,
      // One Debug Console for the program: its output and the JavaScript evaluations.
      consoleMode: vscode.DebugConsoleMode.MergeWithParent,
    });
    if (!started) failure = 'the editor did not start it (is the built-in JavaScript debugger disabled?)';
  } catch (e) {
    failure = errorText(e);
  }
  if (failure !== undefined) await customRequest(parent, 'loopscope/jsDebugFailed', { message: failure }).then(undefined, () => undefined);
}
