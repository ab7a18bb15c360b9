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

/** What a caught error says (anything may be thrown). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An action the user asked for failed: written to the log and shown, e.g. "Loopscope: could not cancel worker-1: …". */
export function reportFailure(what: string, e: unknown): void {
  const message = `could not ${what}: ${errorText(e)}`;
  log().error(message);
  void vscode.window.showErrorMessage(`Loopscope: ${message}`);
}
