/**
 * Stuck tasks and await cycles (computed by the protocol's forest.ts, shared with the terminal
 * inspector), gathered per source line for the editor's warnings: tasks stuck at the same line for
 * the same reason make one warning ("3 tasks stuck here: no task left can wake them").
 */
import { findCycles, findStuck, type StuckReason, type StuckTask } from '../../../runtime/src/protocol/forest';
import type { Frame } from '../../../runtime/src/protocol/wire';
import type { TaskStore } from './taskStore';

export interface Findings {
  /** Stuck tasks by id (cycle members included, reason 'cycle'). */
  stuck: Map<number, StuckTask>;
  cycles: number[][];
}

export interface LineFinding {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  reason: StuckReason;
  message: string;
  taskIds: number[];
  /** For a cycle: the whole cycle (task ids in wait order) through these tasks. */
  cycle?: number[];
}

export function computeFindings(store: TaskStore, idleMs: number | undefined): Findings {
  const tasks = store.tasks.values();
  const cycles = findCycles(store.tasks.values(), store.resources.values());
  const list = findStuck(tasks, store.resources.values(), { now: store.loopNow(), cycles, idleMs: idleMs && idleMs > 0 ? idleMs : undefined });
  return { stuck: new Map(list.map((s) => [s.taskId, s])), cycles };
}

/** Where a finding points: where the task is suspended, else where it was created. */
function anchor(store: TaskStore, id: number): Frame | undefined {
  const t = store.tasks.get(id);
  return t?.location ?? t?.createdAt;
}

/** One entry per (line, reason, text), in file then line order. */
export function findingsByLine(findings: Findings, store: TaskStore): LineFinding[] {
  const byKey = new Map<string, LineFinding & { text: string }>();
  for (const s of findings.stuck.values()) {
    const at = anchor(store, s.taskId);
    if (!at) continue;
    const key = `${at.file}\u0000${at.line}\u0000${s.reason}\u0000${s.text}`;
    let f = byKey.get(key);
    if (!f) byKey.set(key, (f = { file: at.file, line: at.line, column: at.column, reason: s.reason, text: s.text, message: '', taskIds: [] }));
    f.taskIds.push(s.taskId);
  }
  const out = [...byKey.values()].map(({ text, ...f }): LineFinding => {
    const cycle = f.reason === 'cycle' ? findings.cycles.find((c) => c.includes(f.taskIds[0]!)) : undefined;
    return { ...f, message: lineMessage(f.taskIds, text, store, f.reason), ...(cycle ? { cycle } : {}) };
  });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

function lineMessage(ids: number[], text: string, store: TaskStore, reason: StuckReason): string {
  const names = ids.slice(0, 3).map((id) => store.tasks.get(id)?.name ?? `task #${id}`);
  const who = ids.length > 3 ? `${names.join(', ')} and ${ids.length - 3} more` : names.join(', ');
  const what = reason === 'cycle' ? 'in an await cycle' : 'stuck';
  const subject = ids.length === 1 ? `Task ${who} is ${what}` : `${ids.length} tasks are ${what} here (${who})`;
  return `${subject}: ${text}`;
}
