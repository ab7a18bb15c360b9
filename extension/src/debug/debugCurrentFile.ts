/**
 * "Debug Current File with Loopscope" (the Tasks view's welcome link and the editor title menu):
 * starts a `loopscope` session on the active .ts or .js file without a launch.json.
 */
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { configForFile, isDebuggableFile } from './launchConfig';

export const DEBUG_CURRENT_FILE_COMMAND = 'loopscope.debugCurrentFile';

export function registerDebugCurrentFile(): vscode.Disposable {
  return vscode.commands.registerCommand(DEBUG_CURRENT_FILE_COMMAND, async (uri?: vscode.Uri) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file' || !isDebuggableFile(target.fsPath)) {
      return void vscode.window.showErrorMessage('Loopscope: open a TypeScript or JavaScript file to debug it.');
    }
    const folder = vscode.workspace.getWorkspaceFolder(target);
    await vscode.debug.startDebugging(folder, configForFile(target.fsPath, folder?.uri.fsPath ?? dirname(target.fsPath)));
  });
}
