/**
 * The extension's own log: the "Loopscope" channel in the Output panel (Developer: Set Log Level
 * chooses how much). It says what the extension did and why, at the moments that are hard to see
 * otherwise: stops, ready queues, commands on tasks, selections that could not be revealed.
 */
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Loopscope', { log: true });
  return channel;
}
