/**
 * Never-awaited coroutines in the terminal inspector: kept as the runtime reports them (each call
 * site once), shown under the tree in the live view and --dump, and as `neverAwaited` in --json.
 */
import { neverAwaitedKey, neverAwaitedText } from '../protocol/neverAwaitedText';
import type { NeverAwaitedCoroutine, NeverAwaitedMessage } from '../protocol/wire';
import { printable } from './printable';

const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Kept at most (the runtime reports each site once; a program with more is broken everywhere). */
const MAX_KEPT = 10_000;
/** Lines shown at most under the tree (all of them are in --json). */
const MAX_SHOWN = 20;

export class NeverAwaitedList {
  private readonly byKey = new Map<string, NeverAwaitedCoroutine>();
  /** Reported by the runtime as lost (its ring overflowed between two batches), or beyond MAX_KEPT. */
  dropped = 0;

  add(m: NeverAwaitedMessage): void {
    for (const c of m.coroutines ?? []) {
      if (!c || typeof c.name !== 'string' || !c.location) continue;
      const key = neverAwaitedKey(c);
      if (this.byKey.has(key)) continue;
      if (this.byKey.size >= MAX_KEPT) this.dropped++;
      else this.byKey.set(key, c);
    }
    if (typeof m.dropped === 'number' && m.dropped > 0) this.dropped += m.dropped;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** A blank line, then one warning line per call site (none: nothing); each cut to `width` columns. */
  lines(color: boolean, width?: number): string[] {
    if (this.byKey.size === 0 && this.dropped === 0) return [];
    const line = (style: string, text: string): string => {
      const t = width !== undefined && width > 1 && text.length > width ? `${text.slice(0, width - 1)}…` : text;
      return color ? `${style}${t}${RESET}` : t;
    };
    const all = [...this.byKey.values()];
    const out = all.slice(0, MAX_SHOWN).map((c) => line(YELLOW, `⚠ ${printable(neverAwaitedText(c))}`));
    if (all.length > MAX_SHOWN) out.push(line(DIM, `(${all.length - MAX_SHOWN} more never-awaited coroutines: --json lists them all)`));
    if (this.dropped > 0) out.push(line(DIM, `(${this.dropped} more never-awaited coroutines were not reported: the program made them faster than the inspector read)`));
    return ['', ...out];
  }

  /** For --json: each call site with its message. */
  json(): JsonNeverAwaited[] {
    return [...this.byKey.values()].map((c) => ({ name: c.name, location: c.location, message: neverAwaitedText(c) }));
  }
}

export interface JsonNeverAwaited extends NeverAwaitedCoroutine {
  /** The warning, as the text view prints it. */
  message: string;
}
