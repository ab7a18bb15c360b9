/**
 * In the editor, after each line where tasks are suspended now: "⏸ 12 tasks", with a hover listing
 * them and a link that opens the list (pick one to reveal it in the Tasks view). Only editors
 * showing a file whose sites changed are redecorated.
 */
import * as vscode from 'vscode';
import type { TaskTreeModel } from '../model/taskTreeModel';
import { siteHover, siteLabel } from '../model/siteText';
import { followCurrentModel } from '../session/followCurrent';
import type { LoopscopeSessions } from '../session/loopscopeSessions';
import { contextFor } from '../tasksView/taskTreeItem';

export const SHOW_TASKS_AT_COMMAND = 'loopscope.tasks.showTasksAt';

export class AwaitDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [];
  private model: TaskTreeModel | undefined;

  constructor(
    sessions: LoopscopeSessions,
    private readonly enabled: () => boolean,
  ) {
    this.disposables.push(
      this.type,
      followCurrentModel(sessions, (u, state) => {
        this.model = state && !state.ended ? state.model : undefined;
        if (u === 'switched' || state?.ended) this.redraw(undefined);
        else if (u.files) this.redraw(u.files);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.decorate(e))),
    );
  }

  /** Redecorates the visible editors showing one of `files` (all of them when undefined). */
  redraw(files: ReadonlySet<string> | undefined): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!files || files.has(editor.document.uri.fsPath)) this.decorate(editor);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private decorate(editor: vscode.TextEditor): void {
    const model = this.model;
    if (!model || !this.enabled() || editor.document.uri.scheme !== 'file') return editor.setDecorations(this.type, []);
    const file = editor.document.uri.fsPath;
    const ctx = contextFor(model);
    const options: vscode.DecorationOptions[] = [];
    for (const [line, idSet] of model.sites.sitesIn(file)) {
      if (line < 1 || line > editor.document.lineCount) continue;
      const ids = [...idSet];
      const args = encodeURIComponent(JSON.stringify([file, line]));
      const hover = new vscode.MarkdownString(siteHover(ids, ctx, `command:${SHOW_TASKS_AT_COMMAND}?${args}`));
      hover.isTrusted = { enabledCommands: [SHOW_TASKS_AT_COMMAND] };
      const end = editor.document.lineAt(line - 1).range.end;
      options.push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: siteLabel(ids, ctx) } } });
    }
    editor.setDecorations(this.type, options);
  }
}
