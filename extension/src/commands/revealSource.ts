/** Opens a source location (a runtime Frame: 1-based line and column) in an editor. */
import * as vscode from 'vscode';
import type { Frame } from '../../../runtime/src/protocol/wire';

export async function revealFrame(frame: Pick<Frame, 'file' | 'line' | 'column'>, column = vscode.ViewColumn.Active): Promise<void> {
  const line = Math.max(0, frame.line - 1);
  const col = Math.max(0, (frame.column || 1) - 1);
  const at = new vscode.Range(line, col, line, col);
  await vscode.window.showTextDocument(vscode.Uri.file(frame.file), { selection: at, viewColumn: column, preview: true });
}
