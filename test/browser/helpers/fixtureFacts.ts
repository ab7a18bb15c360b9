// Facts read from a recorded fixture, so tests compare what the page shows with what the runtime sent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepEvent, TaskRecord } from '../../../runtime/src/protocol/wire';
import { repoRoot } from '../harness/server';
import type { HostToWebview } from '../../../webview/src/messages';

/** The last record of the task with this name. */
export function lastRecord(messages: HostToWebview[], name: string): TaskRecord {
  let found: TaskRecord | undefined;
  for (const m of messages) {
    const tasks = m.type === 'snapshot' ? m.snapshot.tasks : m.type === 'delta' ? m.delta.tasks : [];
    for (const t of tasks) if (t.name === name) found = t;
  }
  if (!found) throw new Error(`fixture: no task named ${name}`);
  return found;
}

export function allEvents(messages: HostToWebview[]): StepEvent[] {
  return messages.flatMap((m) => (m.type === 'delta' ? (m.delta.events ?? []) : []));
}

/** Steps (resumed → next end event of the same task) of one task. */
export function stepsOf(events: StepEvent[], taskId: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let open: number | null = null;
  for (const [kind, id, time] of events) {
    if (id !== taskId) continue;
    if (kind === 2) open = time;
    else if (kind >= 3 && open !== null) {
      out.push({ start: open, end: time });
      open = null;
    }
  }
  return out;
}

/** Task ids in the order they first appear in the events (the timeline's lane order). */
export function laneOrder(events: StepEvent[]): number[] {
  const seen: number[] = [];
  const set = new Set<number>();
  for (const [, id] of events) {
    if (set.has(id)) continue;
    set.add(id);
    seen.push(id);
  }
  return seen;
}

/** The 1-based line of the demo program (fixtures/programs/inspector-demo.ts) that contains `text`. */
export function lineOf(text: string): number {
  const lines = readFileSync(join(repoRoot, 'test', 'browser', 'fixtures', 'programs', 'inspector-demo.ts'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`inspector-demo.ts has no line containing ${JSON.stringify(text)}`);
  return i + 1;
}
