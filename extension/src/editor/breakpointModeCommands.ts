/**
 * "Loopscope: Add Breakpoint On Suspend" / "On Resume", in the editor's context menu and the gutter's
 * (editor/lineNumber/context): a breakpoint on an await line in a chosen mode, before any session.
 *
 * VS Code learns a debug type's breakpoint modes from its adapter's `initialize` answer, so before
 * the first Loopscope session in a window neither the Edit Breakpoint widget nor the Breakpoints
 * view offers "On suspend" / "On resume". A breakpoint added through the API carries a `mode` all the
 * same (a 6th argument of SourceBreakpoint's constructor in recent VS Code, as in code-server
 * 4.139's; a plain property the API copies in older ones; @types/vscode 1.90 declares neither), and
 * VS Code sends it to the adapter in `setBreakpoints`. What VS Code does not pass on is its label (microsoft/vscode#230705), so the
 * Breakpoints view shows no "On resume" badge for it: the status bar says which mode was set.
 */
import * as vscode from 'vscode';
import { BREAKPOINT_MODES, type BreakpointModeId } from '../../../adapter/src/dapCustom';
import { baseName } from '../../../runtime/src/protocol/describe';
import { log } from '../log';

export const BreakpointModeCommand = {
  suspend: 'loopscope.addBreakpointOnSuspend',
  resume: 'loopscope.addBreakpointOnResume',
} as const;

/** What the gutter's context menu passes (editor/lineNumber/context): the line, 1-based, and the file. */
interface LineArg {
  lineNumber: number;
  uri: vscode.Uri;
}

function isLineArg(a: unknown): a is LineArg {
  return typeof a === 'object' && a !== null && typeof (a as LineArg).lineNumber === 'number' && (a as LineArg).uri !== undefined;
}

/** The file and 0-based line to act on: the gutter's line, else the active editor's cursor. */
function target(arg: unknown): { uri: vscode.Uri; line: number } | undefined {
  if (isLineArg(arg)) return { uri: arg.uri, line: arg.lineNumber - 1 };
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return { uri: editor.document.uri, line: editor.selection.active.line };
}

function sameLine(bp: vscode.Breakpoint, uri: vscode.Uri, line: number): bp is vscode.SourceBreakpoint {
  const loc = (bp as vscode.SourceBreakpoint).location;
  return !!loc && loc.uri.toString() === uri.toString() && loc.range.start.line === line;
}

/** A SourceBreakpoint carrying `mode`, whichever VS Code runs (see the file comment). */
export function sourceBreakpointWithMode(location: vscode.Location, mode: BreakpointModeId, like?: vscode.SourceBreakpoint): vscode.SourceBreakpoint {
  const Ctor = vscode.SourceBreakpoint as unknown as new (
    location: vscode.Location,
    enabled?: boolean,
    condition?: string,
    hitCondition?: string,
    logMessage?: string,
    mode?: string,
  ) => vscode.SourceBreakpoint;
  const bp = new Ctor(location, true, like?.condition, like?.hitCondition, undefined, mode);
  if ((bp as { mode?: string }).mode !== mode) (bp as { mode?: string }).mode = mode;
  return bp;
}

/** Adds (or replaces, keeping its condition and hit count) the breakpoint on the target line in `mode`. */
export function addBreakpointInMode(mode: BreakpointModeId, arg: unknown): vscode.SourceBreakpoint | undefined {
  const at = target(arg);
  if (!at) {
    void vscode.window.showInformationMessage('Open a file and put the cursor on an await line (a `yield*`) to add a Loopscope breakpoint.');
    return undefined;
  }
  const existing = vscode.debug.breakpoints.filter((bp) => sameLine(bp, at.uri, at.line));
  const like = existing[0] as vscode.SourceBreakpoint | undefined;
  if (existing.length) vscode.debug.removeBreakpoints(existing);
  const location = new vscode.Location(at.uri, new vscode.Range(at.line, 0, at.line, 0));
  const bp = sourceBreakpointWithMode(location, mode, like);
  vscode.debug.addBreakpoints([bp]);
  const label = BREAKPOINT_MODES.find((m) => m.mode === mode)!.label;
  const where = `${baseName(at.uri.fsPath)}:${at.line + 1}`;
  log().info(`breakpoint ${label.toLowerCase()} ${existing.length ? 'replaced' : 'added'} at ${where}`);
  vscode.window.setStatusBarMessage(`Loopscope: breakpoint ${label.toLowerCase()} at ${where}`, 5000);
  return bp;
}

export function registerBreakpointModeCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(BreakpointModeCommand.suspend, (arg?: unknown) => addBreakpointInMode('suspend', arg)),
    vscode.commands.registerCommand(BreakpointModeCommand.resume, (arg?: unknown) => addBreakpointInMode('resume', arg)),
  );
}
