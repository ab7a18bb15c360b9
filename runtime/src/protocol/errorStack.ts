/**
 * The frames of an exception's stack text (V8's `    at fn (file:line:col)` lines), innermost
 * first, without Node's internal frames. Pure: shared by the runtime's agent (where a task raised)
 * and the debug adapter (a failed task's call stack).
 */
import type { Frame } from './wire';

const STACK_LINE = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;

export function parseErrorStack(stack: string | undefined): Frame[] {
  if (!stack) return [];
  const frames: Frame[] = [];
  for (const text of stack.split('\n')) {
    const m = STACK_LINE.exec(text);
    if (!m) continue;
    const file = m[2].replace(/^async /, '');
    if (file.startsWith('node:') || file === 'native' || file.startsWith('<anonymous>')) continue;
    frames.push({ file, line: Number(m[3]), column: Number(m[4]), function: (m[1] ?? '').replace(/^async /, '') });
  }
  return frames;
}
