/**
 * Small pure helpers shared by the model and the views. No `vscode` import (see model/README in
 * taskTreeModel.ts): everything here runs under plain vitest.
 */
import type { TaskState } from '../../../runtime/src/protocol/wire';

export const TASK_STATES: readonly TaskState[] = ['running', 'ready', 'suspended', 'done', 'failed', 'cancelled'];
export const LIVE_STATES: readonly TaskState[] = ['running', 'ready', 'suspended'];

export function isFinished(state: TaskState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

/**
 * The name pattern two siblings must share to fold: the name with a trailing number (and the
 * separator before it) removed. `worker-1` … `worker-500` → `worker`; `Task-17` → `Task`;
 * `fetch #3` → `fetch`; a name that is only digits stays as it is.
 */
export function namePattern(name: string): string {
  const m = /^(.*?)[\s\-_#.:/]*\d+$/.exec(name);
  if (!m || m[1] === '') return name;
  return m[1];
}

/** `/a/b/crawler.ts` → `crawler.ts`. Works for both separators. */
export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? file : file.slice(i + 1);
}

/** A short "file:line" for a frame-like location. */
export function shortLocation(loc: { file: string; line: number } | undefined): string {
  return loc ? `${baseName(loc.file)}:${loc.line}` : '';
}

/** Milliseconds as a person reads them: `850 ms`, `1.2 s`, `42 s`, `3 min 5 s`, `2 h 4 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}
