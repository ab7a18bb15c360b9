/**
 * Loopscope's custom DAP requests, typed by adapter/src/dapCustom.ts, sent on a debug session.
 */
import type * as vscode from 'vscode';
import type { CustomRequestName, CustomRequests } from '../../../adapter/src/dapCustom';

export async function customRequest<K extends CustomRequestName>(
  session: vscode.DebugSession,
  name: K,
  args: CustomRequests[K]['args'],
): Promise<CustomRequests[K]['body']> {
  return (await session.customRequest(name, args)) as CustomRequests[K]['body'];
}
