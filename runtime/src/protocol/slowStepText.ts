/**
 * A slow task step in words, the same in every view (the adapter's Debug Console, the editor's
 * warning, the Tasks view, the terminal inspector): asyncio's "Executing <Task> took 0.150 seconds"
 * with where the step ran.
 */
import { shortLocation } from './describe';
import type { Frame, SlowStepMessage } from './wire';

/** `resumed at crawler.ts:40, suspended at crawler.ts:44` (or `its first step, …`, `…, then finished`). */
export function slowStepWhere(m: SlowStepMessage): string {
  const from = m.resumedAt ? `resumed at ${shortLocation(m.resumedAt)}` : m.firstStep ? 'its first step' : 'resumed at an unknown line';
  let to: string;
  if (m.suspendedAt) to = `suspended at ${shortLocation(m.suspendedAt)}`;
  else if (m.outcome === 'done') to = 'then finished';
  else if (m.outcome === 'failed') to = 'then failed';
  else if (m.outcome === 'cancelled') to = 'then was cancelled';
  else to = 'suspended at an unknown line';
  return `${from}, ${to}`;
}

/** asyncio's wording: `Executing worker-2 took 0.150 seconds (resumed at crawler.ts:40, suspended at crawler.ts:44)`. */
export function slowStepSentence(m: SlowStepMessage): string {
  return `Executing ${m.name} took ${(m.durationMs / 1000).toFixed(3)} seconds (${slowStepWhere(m)})`;
}

/** `slow step 150 ms`: a task row's description. */
export function slowStepShort(m: Pick<SlowStepMessage, 'durationMs'>): string {
  return `slow step ${Math.round(m.durationMs)} ms`;
}

/** The editor's warning at the line: `slow step: 150 ms in worker-2 (resumed here, suspended at crawler.ts:44)`. */
export function slowStepDiagnostic(m: SlowStepMessage): string {
  const where = slowStepWhere(m).replace(/^resumed at [^,]*/, 'resumed here');
  return `slow step: ${Math.round(m.durationMs)} ms in ${m.name} (${where}): it held the loop, every other task waited`;
}

/** The line a slow step is shown at: where it resumed, else (a first step) where it suspended. */
export function slowStepLine(m: SlowStepMessage): Frame | undefined {
  return m.resumedAt ?? m.suspendedAt;
}
