/**
 * Breakpoints as the user sets them (DAP) and as the runtime takes them (wire): gutter breakpoints on
 * await lines (suspend or resume mode, task-name condition, hit count), lifecycle filters, and
 * function breakpoints naming tasks. The book keeps every kind so the whole set can be sent again
 * when the runtime connects (or reconnects).
 */
import { resolve } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LifecycleBreakpoint, SourceBreakpoint, TaskBreakpoint } from '../../runtime/src/protocol/wire';
import { BREAKPOINT_MODES, LIFECYCLE_FILTERS, TASK_NAME_CONDITION_HINT, type BreakpointModeId, type LifecycleFilter } from './dapCustom';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NAME_COMPARISON = /^\s*(?:name|task)\s*={2,3}\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))\s*$/;
/** A bare glob: anything without operators, quotes, parentheses or spaces (task names have none of those). */
const BARE_GLOB = /^[^\s=!<>()&|"'`+]+$/;

/**
 * A breakpoint condition is the task's name: `worker-*` (a glob: `*` stands for any run of characters)
 * or `name == "worker-*"` (also `===`, single quotes, `task` for `name`). Empty: every task.
 */
export function parseTaskNameCondition(condition: string | undefined): Parsed<string | undefined> {
  const text = condition?.trim() ?? '';
  if (text === '') return { ok: true, value: undefined };
  const m = NAME_COMPARISON.exec(text);
  if (m) {
    const glob = m[1] ?? m[2] ?? m[3] ?? '';
    if (glob === '') return { ok: false, message: `The task-name condition ${JSON.stringify(text)} names no task. ${TASK_NAME_CONDITION_HINT}.` };
    return { ok: true, value: glob };
  }
  if (BARE_GLOB.test(text)) return { ok: true, value: text };
  return {
    ok: false,
    message: `Loopscope conditions match the task's name, not an expression: ${JSON.stringify(text)} is neither. ${TASK_NAME_CONDITION_HINT}.`,
  };
}

/** Hit count: `N` or `>= N` (stop from the Nth hit on), `> N` (from the N+1th). */
export function parseHitCondition(hitCondition: string | undefined): Parsed<number | undefined> {
  const text = hitCondition?.trim() ?? '';
  if (text === '') return { ok: true, value: undefined };
  const m = /^(>=|>)?\s*(\d+)$/.exec(text);
  if (m) {
    const n = Number(m[2]) + (m[1] === '>' ? 1 : 0);
    if (n >= 1 && Number.isSafeInteger(n)) return { ok: true, value: n };
  }
  return { ok: false, message: `Hit count ${JSON.stringify(text)} is not understood: write N or >= N (stop from the Nth hit on), or > N.` };
}

function isMode(mode: string | undefined): mode is BreakpointModeId {
  return BREAKPOINT_MODES.some((m) => m.mode === mode);
}

function isLifecycle(id: string): id is LifecycleFilter {
  return (LIFECYCLE_FILTERS as readonly string[]).includes(id);
}

/** One breakpoint of any kind as the adapter tracks it. */
export interface BookEntry {
  id: number;
  verified: boolean;
  message?: string;
  /** Source breakpoints: where (DAP line as the client sent it is kept by the session). */
  line?: number;
  column?: number;
}

interface SourceEntry extends BookEntry {
  line: number;
  /** What the runtime receives; absent when the breakpoint was refused here (bad condition, logpoint). */
  wire?: SourceBreakpoint;
}

interface FunctionEntry extends BookEntry {
  wire?: TaskBreakpoint;
}

export const PENDING_MESSAGE = 'Waiting for the program to load the Loopscope runtime.';

/** The key paths are compared by, as the runtime compares them (case-insensitive file systems lowercased). */
export function pathKey(p: string): string {
  const abs = resolve(p);
  return process.platform === 'win32' || process.platform === 'darwin' ? abs.toLowerCase() : abs;
}

export class BreakpointBook {
  private nextId = 1;
  private readonly sources = new Map<string, SourceEntry[]>();
  private functions: FunctionEntry[] = [];
  /** "Break when this task next resumes" requests (loopscope/breakOnResume), removed after their hit. */
  private once: TaskBreakpoint[] = [];
  private lifecycle: LifecycleBreakpoint[] = [];

  /** Replaces one file's source breakpoints. Entries come back in the request's order. */
  setSource(file: string, bps: readonly DebugProtocol.SourceBreakpoint[], lineToRuntime: (line: number) => number): SourceEntry[] {
    const key = pathKey(file);
    const absolute = resolve(file);
    const entries = bps.map((bp): SourceEntry => {
      const id = this.nextId++;
      const line = lineToRuntime(bp.line);
      const base = { id, line: bp.line, column: bp.column };
      if (bp.logMessage !== undefined) {
        return { ...base, verified: false, message: 'Loopscope does not print logpoints (the JavaScript debugger does, when it runs the program).' };
      }
      const cond = parseTaskNameCondition(bp.condition);
      if (!cond.ok) return { ...base, verified: false, message: cond.message };
      const hits = parseHitCondition(bp.hitCondition);
      if (!hits.ok) return { ...base, verified: false, message: hits.message };
      const mode = (bp as { mode?: string }).mode;
      if (mode !== undefined && !isMode(mode)) {
        return { ...base, verified: false, message: `Unknown breakpoint mode ${JSON.stringify(mode)}: use 'suspend' or 'resume'.` };
      }
      const wire: SourceBreakpoint = { id, file: absolute, line, mode: mode ?? 'suspend' };
      if (cond.value !== undefined) wire.taskName = cond.value;
      if (hits.value !== undefined) wire.hitCount = hits.value;
      return { ...base, verified: false, message: PENDING_MESSAGE, wire };
    });
    if (entries.length) this.sources.set(key, entries);
    else this.sources.delete(key);
    return entries;
  }

  /** Every source breakpoint the runtime should have, across files. */
  sourceWire(): SourceBreakpoint[] {
    const out: SourceBreakpoint[] = [];
    for (const entries of this.sources.values()) for (const e of entries) if (e.wire) out.push(e.wire);
    return out;
  }

  /** True when a source breakpoint sits at this file and (runtime) line. */
  hasSourceBreakpointAt(file: string, line: number): boolean {
    const entries = this.sources.get(pathKey(file));
    return !!entries?.some((e) => e.wire && e.wire.line === line);
  }

  /** Function breakpoints: `worker-*` (a task-name glob) or `#12` (one task by id) stop when such a task is about to resume. */
  setFunctions(bps: readonly DebugProtocol.FunctionBreakpoint[]): FunctionEntry[] {
    this.functions = bps.map((bp): FunctionEntry => {
      const id = this.nextId++;
      const name = bp.name.trim();
      if (bp.condition?.trim() || bp.hitCondition?.trim()) {
        return { id, verified: false, message: 'A task breakpoint is its name (a glob such as worker-*, or #id): it takes no condition or hit count.' };
      }
      const byId = /^#(\d+)$/.exec(name);
      if (byId) return { id, verified: false, message: PENDING_MESSAGE, wire: { id, taskId: Number(byId[1]) } };
      const cond = parseTaskNameCondition(name);
      if (!cond.ok || cond.value === undefined) {
        return { id, verified: false, message: `A task breakpoint names a task: a glob such as worker-* or #id (got ${JSON.stringify(bp.name)}).` };
      }
      return { id, verified: false, message: PENDING_MESSAGE, wire: { id, taskName: cond.value } };
    });
    return this.functions;
  }

  /** Adds "stop when this task next resumes"; returns the breakpoint's id. */
  addOnce(taskId: number): number {
    const id = this.nextId++;
    this.once.push({ id, taskId, once: true });
    return id;
  }

  /** Forgets once-breakpoints that fired (the runtime removes them itself). */
  dropOnce(ids: readonly number[]): void {
    this.once = this.once.filter((b) => !ids.includes(b.id));
  }

  taskWire(): TaskBreakpoint[] {
    const out: TaskBreakpoint[] = [];
    for (const f of this.functions) if (f.wire) out.push(f.wire);
    return out.concat(this.once);
  }

  /**
   * Lifecycle filters from setExceptionBreakpoints (`filters`, and `filterOptions` with a task-name
   * condition). Returns one DAP breakpoint per filter, in the order of the request.
   */
  setLifecycle(args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.Breakpoint[] {
    const wire: LifecycleBreakpoint[] = [];
    const results: DebugProtocol.Breakpoint[] = [];
    const add = (filterId: string, condition: string | undefined) => {
      if (!isLifecycle(filterId)) {
        results.push({ verified: false, message: `Unknown filter ${JSON.stringify(filterId)}; Loopscope's are ${LIFECYCLE_FILTERS.join(', ')}.` });
        return;
      }
      const cond = parseTaskNameCondition(condition);
      if (!cond.ok) {
        results.push({ verified: false, message: cond.message });
        return;
      }
      const bp: LifecycleBreakpoint = { kind: filterId };
      if (cond.value !== undefined) bp.taskName = cond.value;
      wire.push(bp);
      results.push({ verified: true });
    };
    for (const f of args.filters ?? []) add(f, undefined);
    for (const o of args.filterOptions ?? []) add(o.filterId, o.condition);
    this.lifecycle = wire;
    return results;
  }

  lifecycleWire(): LifecycleBreakpoint[] {
    return this.lifecycle;
  }

  /**
   * Records what the runtime said of the breakpoints of one kind it was sent (a breakpoint it did
   * not mention is taken as verified); returns the entries whose state changed (for DAP
   * `breakpoint` events).
   */
  applyVerification(kind: 'source' | 'function', results: readonly { id: number; verified: boolean; message?: string }[]): BookEntry[] {
    const byId = new Map(results.map((r) => [r.id, r]));
    const changed: BookEntry[] = [];
    const visit = (e: SourceEntry | FunctionEntry) => {
      if (!e.wire) return;
      const r = byId.get(e.id);
      const verified = r ? r.verified : true;
      const message = r?.message;
      if (e.verified !== verified || e.message !== message) {
        e.verified = verified;
        e.message = message;
        changed.push(e);
      }
    };
    if (kind === 'source') for (const entries of this.sources.values()) entries.forEach(visit);
    else this.functions.forEach(visit);
    return changed;
  }

  /** Marks every breakpoint the runtime would receive as pending again (the runtime went away). */
  markPending(): BookEntry[] {
    const changed: BookEntry[] = [];
    const visit = (e: SourceEntry | FunctionEntry) => {
      if (!e.wire || (!e.verified && e.message === PENDING_MESSAGE)) return;
      e.verified = false;
      e.message = PENDING_MESSAGE;
      changed.push(e);
    };
    for (const entries of this.sources.values()) entries.forEach(visit);
    this.functions.forEach(visit);
    return changed;
  }

  isFunctionBreakpoint(id: number): boolean {
    return this.functions.some((f) => f.id === id) || this.once.some((o) => o.id === id);
  }
}
