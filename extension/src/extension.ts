/**
 * The Loopscope extension: the `loopscope` debugger (its adapter runs inline), the Tasks view, the
 * editor's await-site counts and stuck-task warnings, the status bar counts, the Task Inspector
 * panel, and their commands. Each part lives in its own module; this file only assembles them.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../../adapter/src/dapCustom';
import { registerTaskCommands } from './commands/taskCommands';
import { registerViewCommands } from './commands/viewCommands';
import { LoopscopeConfigurationProvider, LoopscopeDynamicConfigurations } from './debug/configurationProvider';
import { registerDebugCurrentFile } from './debug/debugCurrentFile';
import { InlineAdapterFactory } from './debug/inlineAdapterFactory';
import { registerJsDebugTrackers } from './debug/jsDebugTrackers';
import { registerJsDebugChild } from './debug/jsDebugChild';
import { AwaitDecorations } from './editor/awaitDecorations';
import { FindingsDiagnostics } from './editor/findingsDiagnostics';
import { NeverAwaitedDiagnostics } from './editor/neverAwaitedDiagnostics';
import { SlowStepDiagnostics } from './editor/slowStepDiagnostics';
import { registerShowTasksAt } from './editor/showTasksAt';
import { registerBreakpointModeCommands } from './editor/breakpointModeCommands';
import { registerInspector } from './inspector/inspectorPanel';
import { LoopscopeSessions } from './session/loopscopeSessions';
import { createStatusBar } from './statusBar';
import { createBlockedStatus } from './blockedStatus';
import { TaskSelection } from './tasksView/taskSelection';
import { createTasksView } from './tasksView/tasksView';

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('loopscope');
}

export function activate(context: vscode.ExtensionContext): void {
  const sessions = new LoopscopeSessions(() => ({
    keepFinished: settings().get<number>('tasks.keepFinished', 1000),
    hideFinished: settings().get<boolean>('tasks.hideFinished', false),
    fold: settings().get<boolean>('tasks.foldIdentical', true),
  }));
  const selection = new TaskSelection();
  const tasks = createTasksView(sessions, selection, {
    hideFinished: settings().get<boolean>('tasks.hideFinished', false),
    fold: settings().get<boolean>('tasks.foldIdentical', true),
    search: '',
    groupBy: 'creator',
    site: null,
  });
  context.subscriptions.push(
    sessions,
    selection,
    tasks,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LoopscopeConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LoopscopeDynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    registerDebugCurrentFile(),
    registerJsDebugChild(),
    registerJsDebugTrackers(),
    registerTaskCommands(sessions, selection),
    registerViewCommands(sessions, tasks),
    registerShowTasksAt(sessions, selection),
    registerBreakpointModeCommands(),
    new AwaitDecorations(sessions, () => settings().get<boolean>('editor.awaitSiteCounts', true)),
    new FindingsDiagnostics(sessions, () => settings().get<number>('stuckAfterMs', 10_000), 1000, () => tasks.refreshChrome()),
    new NeverAwaitedDiagnostics(sessions),
    new SlowStepDiagnostics(sessions),
    createStatusBar(sessions),
    createBlockedStatus(sessions),
    registerInspector(context, sessions, selection),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
