/**
 * The Loopscope session a debug session belongs to: itself, or the parent of VS Code's JavaScript
 * debugger child session that runs the same program.
 */
import type * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';

export function loopscopeRoot(session: vscode.DebugSession | undefined): vscode.DebugSession | undefined {
  for (let s = session, depth = 0; s && depth < 10; s = s.parentSession, depth++) {
    if (s.type === DEBUG_TYPE) return s;
  }
  return undefined;
}
