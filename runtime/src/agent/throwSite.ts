/**
 * Where an exception was raised, from its stack text: the innermost frame in the user's code (the
 * runtime's own frames and Node's are skipped). The text is as Node formatted it: already mapped to
 * the original source when source maps are on (they must be for a map to be known at all, so unlike
 * the structured call sites of stacks.ts it is not mapped again).
 */
import { fileURLToPath } from 'node:url';
import { isRuntimeFrame } from '../stacks';
import { parseErrorStack } from '../protocol/errorStack';
import type { Frame } from '../protocol/wire';
import { isInstance } from '../safeText';

export function throwSite(error: unknown): Frame | undefined {
  if (!isInstance(error, Error)) return undefined;
  let stack: unknown;
  try {
    stack = error.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string') return undefined;
  for (const f of parseErrorStack(stack)) {
    if (isRuntimeFrame(f.file)) continue;
    if (!f.file.startsWith('file://')) return f;
    try {
      return { ...f, file: fileURLToPath(f.file) };
    } catch {
      // Not a path we can name: look further out.
    }
  }
  return undefined;
}
