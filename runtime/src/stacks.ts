/**
 * Source stacks of suspended and newly created tasks. A suspended generator's position cannot be read
 * back later, so the stack is captured at the suspension point itself; capture is lazy (V8 records raw
 * frames and formats nothing until asked), and only done while an instrument asks for it.
 */

export interface SourceFrame {
  /** Absolute file path (or URL) as the runtime loaded it; mapped to the original source where a source map says so. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Function name as V8 reports it ('' for anonymous). */
  function: string;
}

/** A captured, not yet formatted stack. */
export interface CapturedStack {
  stack?: unknown;
  frames?: SourceFrame[];
}

const STACK_LIMIT = 48;

export function captureStack(): CapturedStack {
  const holder: CapturedStack = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_LIMIT;
  Error.captureStackTrace(holder, captureStack);
  Error.stackTraceLimit = limit;
  return holder;
}

type CallSite = NodeJS.CallSite;

/** Maps a generated position to the original source; installed by the source-map module when loaded. */
export type PositionMapper = (file: string, line: number, column: number) => { file: string; line: number; column: number; name?: string } | null;
let mapper: PositionMapper | null = null;

export function setPositionMapper(m: PositionMapper | null): void {
  mapper = m;
}

function ownDirectory(): string {
  const h: CapturedStack = {};
  const frames = structured(h, ownDirectory);
  const f = frames[0]?.getFileName() ?? '';
  const slash = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
  return slash >= 0 ? f.slice(0, slash + 1) : f;
}

function structured(holder: CapturedStack, skip: Function): CallSite[] {
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, cs) => cs;
  try {
    Error.captureStackTrace(holder, skip);
    return holder.stack as unknown as CallSite[];
  } finally {
    Error.prepareStackTrace = prev;
  }
}

/** The folder of the runtime's own code: frames there are the runtime's, not the user's. */
export const RUNTIME_DIR = ownDirectory();

function toFrame(cs: CallSite): SourceFrame | null {
  let file = cs.getFileName() ?? cs.getScriptNameOrSourceURL?.() ?? '';
  if (!file || file.startsWith('node:')) return null;
  let line = cs.getLineNumber() ?? 0;
  let column = cs.getColumnNumber() ?? 0;
  let fn = cs.getFunctionName() ?? cs.getMethodName() ?? '';
  if (mapper !== null) {
    const m = mapper(file, line, column);
    if (m) {
      file = m.file;
      line = m.line;
      column = m.column;
      if (m.name && !fn) fn = m.name;
    }
  }
  if (file.startsWith('file://')) file = decodeURIComponent(new URL(file).pathname);
  return { file, line, column, function: fn };
}

/** Whether a frame belongs to the runtime itself (hidden from users' await chains). */
export function isRuntimeFrame(file: string): boolean {
  return file.startsWith(RUNTIME_DIR) || (file.startsWith('file://') && decodeURIComponent(file).includes(RUNTIME_DIR));
}

/**
 * The user's frames of a captured stack, innermost first (runtime and Node-internal frames removed).
 * Formatted once and cached on the capture.
 */
export function userFrames(captured: CapturedStack): SourceFrame[] {
  if (captured.frames) return captured.frames;
  const prev = Error.prepareStackTrace;
  let sites: CallSite[] = [];
  Error.prepareStackTrace = (_e, cs) => cs;
  try {
    // First access formats the lazily captured stack with the prepareStackTrace installed now.
    const s = captured.stack;
    sites = Array.isArray(s) ? (s as CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = prev;
  }
  const frames: SourceFrame[] = [];
  for (const cs of sites) {
    const rawFile = cs.getFileName() ?? '';
    if (rawFile && isRuntimeFrame(rawFile)) continue;
    const f = toFrame(cs);
    if (f !== null) frames.push(f);
  }
  captured.frames = frames;
  captured.stack = undefined;
  return frames;
}
