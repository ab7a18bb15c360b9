/**
 * The task the user selected last (in the Tasks view, the Call Stack, or the Task Inspector), so
 * each of them can follow the others.
 */
import * as vscode from 'vscode';

export type SelectionSource = 'tree' | 'callStack' | 'inspector' | 'editor';

export class TaskSelection implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<{ taskId: number | null; source: SelectionSource }>();
  readonly onDidChange = this.emitter.event;
  taskId: number | null = null;

  select(taskId: number | null, source: SelectionSource): void {
    if (taskId === this.taskId) return;
    this.taskId = taskId;
    this.emitter.fire({ taskId, source });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
