/**
 * Runs the Loopscope debug adapter inside the extension host (no extra process): each debug session
 * gets its own LoopscopeSession, which speaks DAP to VS Code directly.
 */
import * as vscode from 'vscode';
import { LoopscopeSession } from '../../../adapter/src/session';

export class InlineAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterInlineImplementation(new LoopscopeSession());
  }
}
