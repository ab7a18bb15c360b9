/**
 * The `loopscope` DebugConfigurationProvider: F5 on a .ts or .js file with no launch.json debugs it;
 * missing fields come from the loopscope.* settings; a malformed configuration is refused with a
 * message naming the field, before any process starts.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULTS, configForFile, initialConfigurations, isDebuggableFile, validateConfig, withDefaults, type Config, type ConfigDefaults } from './launchConfig';

export function settingsDefaults(): ConfigDefaults {
  const c = vscode.workspace.getConfiguration('loopscope');
  return {
    jsDebug: c.get<boolean>('jsDebug', DEFAULTS.jsDebug),
    maxThreads: c.get<number>('maxThreads', DEFAULTS.maxThreads),
    timeline: c.get<boolean>('timeline', DEFAULTS.timeline),
    stacks: c.get<ConfigDefaults['stacks']>('stacks', DEFAULTS.stacks),
    slowStepMs: c.get<number>('slowStepMs', DEFAULTS.slowStepMs),
  };
}

/** The file in the active editor, when it is one Loopscope can debug. */
function activeProgram(): { file: string; cwd: string } | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file' || !isDebuggableFile(doc.uri.fsPath)) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  return { file: doc.uri.fsPath, cwd: folder?.uri.fsPath ?? dirname(doc.uri.fsPath) };
}

export class LoopscopeConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly exists: (path: string) => boolean = existsSync) {}

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return initialConfigurations();
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    let c = config as Config;
    // F5 with no launch.json: VS Code passes an empty configuration.
    if (!c.type && !c.request && !c.name) {
      const active = activeProgram();
      if (!active) {
        void vscode.window.showErrorMessage('Loopscope: open a TypeScript or JavaScript file to debug it, or add a "loopscope" configuration to launch.json.');
        return undefined;
      }
      c = configForFile(active.file, active.cwd);
    }
    return withDefaults(c, settingsDefaults());
  }

  resolveDebugConfigurationWithSubstitutedVariables(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const problem = validateConfig(config as Config, this.exists);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined; // aborts the launch
    }
    // This extension starts the JavaScript child session when the adapter asks (debug/jsDebugChild.ts).
    if (config.request === 'launch') return { ...config, __jsDebugByExtension: true };
    return config;
  }
}

/** "Debug with Loopscope" entries offered for the active file in the Run and Debug picker. */
export class LoopscopeDynamicConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const active = activeProgram();
    return active ? [configForFile(active.file, active.cwd)] : [];
  }
}
