/**
 * Breakpoint modes before any session: VS Code offers "On suspend" / "On resume" in its own widgets
 * only after a Loopscope adapter answered `initialize` in the window, so a new user following the
 * README found no mode. The editor's and the gutter's context menus add a breakpoint in a chosen
 * mode at once, with no session.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { activate } from '../../extension/src/extension';
import { fake, resetFake, Uri, Position, Range, Location, SourceBreakpoint } from './fakes/vscode';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const FILE = Uri.file('/w/main.ts');

let context: { subscriptions: { dispose(): unknown }[]; extensionUri: unknown } | undefined;
afterEach(() => context?.subscriptions.forEach((d) => d.dispose()));

/** The extension activated in a window where no debug session has run. */
function activateWithoutSession(): void {
  resetFake();
  context = { subscriptions: [], extensionUri: Uri.file('/ext') };
  activate(context as unknown as vscode.ExtensionContext);
}

const shown = () => fake.breakpoints.map((b) => {
  const s = b as SourceBreakpoint;
  return { file: s.location.uri.fsPath, line: s.location.range.start.line + 1, mode: s.mode, condition: s.condition };
});

describe('Add Breakpoint On Suspend / On Resume', () => {
  it('from the gutter, before any session: a breakpoint on that line in the chosen mode', async () => {
    activateWithoutSession();
    // The gutter's context menu passes the line (1-based) and the file.
    await vscode.commands.executeCommand('loopscope.addBreakpointOnResume', { lineNumber: 7, uri: FILE });
    expect(shown()).toEqual([{ file: '/w/main.ts', line: 7, mode: 'resume', condition: undefined }]);
    expect(fake.statusMessages).toEqual(['Loopscope: breakpoint on resume at main.ts:7']);
  });

  it("from the editor's context menu: the cursor's line; a breakpoint already there changes mode and keeps its condition", async () => {
    activateWithoutSession();
    fake.activeTextEditor = { document: { uri: FILE }, selection: { active: new Position(11, 8) } };
    fake.breakpoints.push(new SourceBreakpoint(new Location(FILE, new Range(11, 0, 11, 0)), true, 'worker-*'));
    await vscode.commands.executeCommand('loopscope.addBreakpointOnResume');
    expect(shown()).toEqual([{ file: '/w/main.ts', line: 12, mode: 'resume', condition: 'worker-*' }]);
    await vscode.commands.executeCommand('loopscope.addBreakpointOnSuspend');
    expect(shown()).toEqual([{ file: '/w/main.ts', line: 12, mode: 'suspend', condition: 'worker-*' }]);
  });

  it('with no editor open it says what to do', async () => {
    activateWithoutSession();
    await vscode.commands.executeCommand('loopscope.addBreakpointOnSuspend');
    expect(fake.breakpoints).toEqual([]);
    expect(fake.info).toEqual(['Open a file and put the cursor on an await line (a `yield*`) to add a Loopscope breakpoint.']);
  });

  it("are in the editor's and the gutter's context menus for TypeScript and JavaScript files", () => {
    for (const menu of ['editor/context', 'editor/lineNumber/context']) {
      const items = pkg.contributes.menus[menu] as { command: string; when: string }[];
      expect(items.map((i) => i.command), menu).toEqual(['loopscope.addBreakpointOnSuspend', 'loopscope.addBreakpointOnResume']);
      for (const i of items) expect(i.when).toBe('resourceLangId == typescript || resourceLangId == javascript');
    }
  });
});
