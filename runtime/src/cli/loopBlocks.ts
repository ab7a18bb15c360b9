/**
 * Blocked loops in the terminal inspector, as the runtime's watchdog reports them: the block going
 * on now (its duration counted on between the watchdog's messages, which come every second) above
 * the tree in the live view, the blocks that ended under it in --dump, and `blocked` in --json.
 */
import { blockedShort, blockerPhrase } from '../protocol/blockedText';
import { formatDuration } from '../protocol/describe';
import type { BlockingStep, LoopBlockedMessage, LoopUnblockedMessage } from '../protocol/watchdogWire';
import { printable } from './printable';

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Ended blocks kept (the longest first beyond that would need more: the count says how many there were). */
const MAX_KEPT = 100;
/** Ended blocks listed under the tree (--json has every kept one). */
const MAX_SHOWN = 5;

export interface JsonBlock extends BlockingStep {
  blockedMs: number;
  /** As the text view says it. */
  message: string;
}

export interface JsonBlocked {
  /** The block going on when this was printed (null: the loop runs). */
  now: JsonBlock | null;
  /** Blocks that ended, oldest first (the last MAX_KEPT). */
  past: JsonBlock[];
  /** How many blocks ended in all. */
  count: number;
}

export class LoopBlockLog {
  private current: { m: LoopBlockedMessage; at: number } | null = null;
  private readonly past: LoopUnblockedMessage[] = [];
  private count = 0;

  blocked(m: LoopBlockedMessage, at: number): void {
    this.current = { m, at };
  }

  unblocked(m: LoopUnblockedMessage): void {
    this.current = null;
    this.count++;
    this.past.push(m);
    if (this.past.length > MAX_KEPT) this.past.shift();
  }

  /** The block going on, its duration counted on to `now` (Date.now() ms). */
  private ongoing(now: number): LoopBlockedMessage | null {
    const c = this.current;
    return c === null ? null : { ...c.m, blockedMs: c.m.blockedMs + Math.max(0, now - c.at) };
  }

  /** For the live view's top: `⚠ loop blocked 2.3 s by worker-3 (#5) at crawler.ts:40` (none: nothing). */
  nowLines(color: boolean, now: number, width?: number): string[] {
    const m = this.ongoing(now);
    if (m === null) return [];
    return [cut(color, RED, `⚠ ${printable(blockedShort(m))}`, width)];
  }

  /** Under the tree: a blank line, then the blocks that ended, the last few (none: nothing). */
  pastLines(color: boolean, width?: number): string[] {
    if (this.count === 0) return [];
    const shown = this.past.slice(-MAX_SHOWN);
    const out = shown.map((m) => cut(color, DIM, `loop was blocked ${formatDuration(m.blockedMs)} ${printable(blockerPhrase(m))}`, width));
    if (this.count > shown.length) out.unshift(cut(color, DIM, `(${this.count - shown.length} earlier blocked loops: --json lists the last ${MAX_KEPT})`, width));
    return ['', ...out];
  }

  json(now: number): JsonBlocked {
    const m = this.ongoing(now);
    return {
      now: m === null ? null : block(m, blockedShort(m)),
      past: this.past.map((p) => block(p, `loop was blocked ${formatDuration(p.blockedMs)} ${blockerPhrase(p)}`)),
      count: this.count,
    };
  }
}

function block(m: LoopBlockedMessage | LoopUnblockedMessage, message: string): JsonBlock {
  const { type: _type, ...rest } = m as LoopBlockedMessage;
  delete (rest as { thresholdMs?: number }).thresholdMs;
  return { ...rest, message };
}

function cut(color: boolean, style: string, text: string, width?: number): string {
  const t = width !== undefined && width > 1 && text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return color ? `${style}${t}${RESET}` : t;
}
