/**
 * Slow task steps in the terminal inspector: each as the runtime reports it (a step longer than the
 * threshold, asyncio's "Executing <task> took 0.150 seconds"), shown under the tree in the live view
 * and --dump (the longest first), and as `slowSteps` in --json.
 */
import { slowStepSentence } from '../protocol/slowStepText';
import type { SlowStepMessage } from '../protocol/wire';
import { printable } from './printable';

const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Kept at most (the longest ones: a program with a slow step at every switch stays readable). */
const MAX_KEPT = 1000;
/** Lines shown at most under the tree (--json has all that were kept). */
const MAX_SHOWN = 10;

export class SlowStepList {
  private readonly steps: SlowStepMessage[] = [];
  /** Slow steps seen in all (kept or not), and those the runtime could not report. */
  total = 0;
  dropped = 0;

  add(m: SlowStepMessage): void {
    if (typeof m?.name !== 'string' || typeof m.durationMs !== 'number') return;
    this.total++;
    if (typeof m.dropped === 'number' && m.dropped > 0) this.dropped += m.dropped;
    this.steps.push(m);
    if (this.steps.length > MAX_KEPT) {
      // Keep the longest: drop the shortest.
      this.steps.sort((a, b) => b.durationMs - a.durationMs);
      this.steps.length = MAX_KEPT;
    }
  }

  get size(): number {
    return this.steps.length;
  }

  /** A blank line, then the longest slow steps, one line each (none: nothing); each cut to `width` columns. */
  lines(color: boolean, width?: number): string[] {
    if (this.total === 0 && this.dropped === 0) return [];
    const line = (style: string, text: string): string => {
      const t = width !== undefined && width > 1 && text.length > width ? `${text.slice(0, width - 1)}…` : text;
      return color ? `${style}${t}${RESET}` : t;
    };
    const longest = [...this.steps].sort((a, b) => b.durationMs - a.durationMs);
    const out = longest.slice(0, MAX_SHOWN).map((m) => line(YELLOW, `⚠ slow step: ${printable(slowStepSentence(m))}`));
    if (this.total > MAX_SHOWN) out.push(line(DIM, `(${this.total - MAX_SHOWN} more slow steps, the longest shown: --json lists ${this.total > MAX_KEPT ? `the ${MAX_KEPT} longest` : 'them all'})`));
    if (this.dropped > 0) out.push(line(DIM, `(${this.dropped} more slow steps were not reported: more than the runtime keeps between two batches)`));
    return ['', ...out];
  }

  /** For --json: each slow step as the runtime sent it, with its sentence, in the order they ran. */
  json(): JsonSlowStep[] {
    return [...this.steps]
      .sort((a, b) => a.time - b.time)
      .map(({ type: _type, dropped: _dropped, ...m }) => ({ ...m, message: slowStepSentence(m as SlowStepMessage) }));
  }
}

export type JsonSlowStep = Omit<SlowStepMessage, 'type' | 'dropped'> & {
  /** asyncio's sentence, as the text view prints it. */
  message: string;
};
