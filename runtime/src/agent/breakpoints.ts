/**
 * The debugger's breakpoints as the agent checks them: source breakpoints by absolute path and
 * line (suspend or resume), lifecycle breakpoints by kind, task breakpoints by name or id, each
 * optionally filtered by a task-name glob. Pure bookkeeping: no hooks, no I/O.
 */
import { isAbsolute, normalize } from 'node:path';
import type { LifecycleBreakpoint, LifecycleKind, SourceBreakpoint, TaskBreakpoint } from '../protocol/wire';
import type { SourceFrame } from '../stacks';
import { globMatch } from '../protocol/glob';

/** `worker-*` style match on a task name; no pattern (or `*`) matches every task. Linear time: see protocol/glob.ts. */
export function taskNameMatches(pattern: string | undefined, name: string): boolean {
  return pattern === undefined || pattern === '' || globMatch(pattern, name);
}

/** The form paths are compared in (case-insensitive file systems compare lowercased). */
export function pathKey(file: string): string {
  const n = normalize(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? n.toLowerCase() : n;
}

interface ActiveSourceBreakpoint {
  bp: SourceBreakpoint;
  hits: number;
}

export interface SourceHit {
  ids: number[];
  frame: SourceFrame;
}

export class Breakpoints {
  /** Source breakpoints by path key, then line. */
  private readonly byFile = new Map<string, Map<number, ActiveSourceBreakpoint[]>>();
  /** Original file of each path key, for per-file replacement. */
  private suspendCount = 0;
  private resumeCount = 0;
  private readonly lifecycle = new Map<LifecycleKind, LifecycleBreakpoint[]>();
  taskBreakpoints: TaskBreakpoint[] = [];

  get hasSuspend(): boolean {
    return this.suspendCount > 0;
  }

  get hasResume(): boolean {
    return this.resumeCount > 0;
  }

  get hasSource(): boolean {
    return this.suspendCount + this.resumeCount > 0;
  }

  hasLifecycle(kind: LifecycleKind): boolean {
    return this.lifecycle.has(kind);
  }

  /** Validates and installs source breakpoints (all, or one file's); says which are usable. */
  setSource(list: SourceBreakpoint[], file?: string): { id: number; verified: boolean; message?: string }[] {
    const out: { id: number; verified: boolean; message?: string }[] = [];
    const accepted: SourceBreakpoint[] = [];
    const onlyKey = file !== undefined ? pathKey(file) : undefined;
    for (const bp of list) {
      let message: string | undefined;
      if (typeof bp.file !== 'string' || !isAbsolute(bp.file)) message = `the file must be an absolute path, got ${JSON.stringify(bp.file)}`;
      else if (!Number.isInteger(bp.line) || bp.line < 1) message = `the line must be a positive integer, got ${JSON.stringify(bp.line)}`;
      else if (bp.mode !== undefined && bp.mode !== 'suspend' && bp.mode !== 'resume') message = `mode must be "suspend" or "resume", got ${JSON.stringify(bp.mode)}`;
      else if (bp.hitCount !== undefined && (!Number.isInteger(bp.hitCount) || bp.hitCount < 1)) message = `hitCount must be a positive integer`;
      else if (onlyKey !== undefined && pathKey(bp.file) !== onlyKey) message = `this request replaces the breakpoints of ${file}; this one is in ${bp.file}`;
      if (message) out.push({ id: bp.id, verified: false, message });
      else {
        accepted.push(bp);
        out.push({ id: bp.id, verified: true });
      }
    }
    if (onlyKey !== undefined) this.byFile.delete(onlyKey);
    else this.byFile.clear();
    for (const bp of accepted) {
      const key = pathKey(bp.file);
      let lines = this.byFile.get(key);
      if (!lines) this.byFile.set(key, (lines = new Map()));
      const at = lines.get(bp.line) ?? [];
      at.push({ bp, hits: 0 });
      lines.set(bp.line, at);
    }
    this.recount();
    return out;
  }

  private recount(): void {
    let s = 0;
    let r = 0;
    for (const lines of this.byFile.values()) for (const list of lines.values()) for (const a of list) (a.bp.mode === 'resume' ? r++ : s++);
    this.suspendCount = s;
    this.resumeCount = r;
  }

  /**
   * The source breakpoints of `mode` hit by a task named `taskName` whose await chain is `frames`
   * (any frame on a breakpoint's line counts: a task suspended inside a helper is also suspended at
   * the line that awaits the helper). Counts hits; honours hitCount.
   */
  matchSource(mode: 'suspend' | 'resume', frames: readonly SourceFrame[], taskName: string): SourceHit | null {
    let hit: SourceHit | null = null;
    for (const f of frames) {
      const lines = this.byFile.get(pathKey(f.file));
      if (!lines) continue;
      const list = lines.get(f.line);
      if (!list) continue;
      for (const a of list) {
        if ((a.bp.mode ?? 'suspend') !== mode || !taskNameMatches(a.bp.taskName, taskName)) continue;
        a.hits++;
        if (a.bp.hitCount !== undefined && a.hits < a.bp.hitCount) continue;
        if (hit === null) hit = { ids: [], frame: f };
        hit.ids.push(a.bp.id);
      }
    }
    return hit;
  }

  setLifecycle(list: LifecycleBreakpoint[]): void {
    this.lifecycle.clear();
    for (const bp of list) {
      const l = this.lifecycle.get(bp.kind) ?? [];
      l.push(bp);
      this.lifecycle.set(bp.kind, l);
    }
  }

  matchLifecycle(kind: LifecycleKind, taskName: string): boolean {
    const l = this.lifecycle.get(kind);
    return l !== undefined && l.some((bp) => taskNameMatches(bp.taskName, taskName));
  }

  /** The task breakpoint a task about to resume hits (a `once` breakpoint is removed by the hit). */
  matchTask(taskId: number, taskName: string): TaskBreakpoint | null {
    const list = this.taskBreakpoints;
    for (let i = 0; i < list.length; i++) {
      const bp = list[i];
      if (bp.taskId !== undefined && bp.taskId !== taskId) continue;
      if (bp.taskName !== undefined && !taskNameMatches(bp.taskName, taskName)) continue;
      if (bp.once) list.splice(i, 1);
      return bp;
    }
    return null;
  }
}

export const LIFECYCLE_KINDS: readonly LifecycleKind[] = ['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException'];
