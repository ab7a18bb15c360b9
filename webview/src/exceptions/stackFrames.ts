/**
 * Source locations in an error's stack text (V8's format: `    at fn (/path/file.ts:39:34)`,
 * `    at /path/file.ts:39:34`, file URLs, Windows paths), so each line of a stack can open its
 * source. Pure: no DOM.
 */
import type { Frame } from '../../../runtime/src/protocol/wire';

export interface StackLine {
  text: string;
  /** The location on this line, when it names a file of the program. */
  frame?: Frame;
}

const WITH_FUNCTION = /^\s*at (?:async )?(.*?) \((.+):(\d+):(\d+)\)\s*$/;
const BARE = /^\s*at (?:async )?(.+):(\d+):(\d+)\s*$/;

function toPath(location: string): string {
  if (!location.startsWith('file://')) return location;
  let path = decodeURIComponent(location.slice('file://'.length));
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1); // file:///C:/x → C:/x
  return path;
}

export function parseStackLine(text: string): StackLine {
  let fn = '';
  let loc: string;
  let line: string;
  let column: string;
  const m = WITH_FUNCTION.exec(text);
  if (m) [, fn, loc, line, column] = m;
  else {
    const b = BARE.exec(text);
    if (!b) return { text };
    [, loc, line, column] = b;
  }
  // Frames without a file of the program: Node's own, eval'd code.
  if (loc.startsWith('node:') || loc.startsWith('<') || loc === 'native' || loc.includes('(eval at')) return { text };
  return { text, frame: { file: toPath(loc), line: Number(line), column: Number(column), function: fn } };
}

export function parseStack(stack: string): StackLine[] {
  return stack.split(/\r?\n/).map(parseStackLine);
}

/** The frame a click on the error should open: the first one in the user's code (not a dependency's). */
export function firstUserFrame(lines: readonly StackLine[]): Frame | undefined {
  const frames = lines.map((l) => l.frame).filter((f): f is Frame => f !== undefined);
  return frames.find((f) => !/[\\/]node_modules[\\/]/.test(f.file)) ?? frames[0];
}
