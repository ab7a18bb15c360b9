/**
 * Checks a message from the Task Inspector webview before acting on it: the page shows program data
 * and must not be able to make the host do anything but the few things messages.ts allows.
 */
import type { PersistedState, WebviewToHost } from '../../../webview/src/messages';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const VIEWS: readonly unknown[] = ['graph', 'timeline', 'exceptions'] satisfies PersistedState['view'][];

export function parseWebviewMessage(m: unknown): WebviewToHost | undefined {
  if (!isObject(m)) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'selectTask':
    case 'cancelTask':
      return isId(m.taskId) ? { type: m.type, taskId: m.taskId } : undefined;
    case 'view':
      return VIEWS.includes(m.view) ? { type: 'view', view: m.view as PersistedState['view'] } : undefined;
    case 'reveal': {
      const f = m.frame;
      if (!isObject(f) || typeof f.file !== 'string' || f.file === '' || !isId(f.line) || f.line < 1) return undefined;
      const column = isId(f.column) && f.column > 0 ? f.column : 1;
      return { type: 'reveal', frame: { file: f.file, line: f.line, column, function: typeof f.function === 'string' ? f.function : '' } };
    }
    default:
      return undefined;
  }
}
