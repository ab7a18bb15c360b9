/**
 * Which Loopscope sessions have their loop blocked now, from the adapter's loopscope/loopBlocked and
 * loopscope/loopUnblocked events (the runtime's watchdog), and the words for it: "loop blocked
 * 2.3 s by worker-3 (#5) at crawler.ts:40", the duration counted on between the watchdog's
 * messages (they come every second). Free of `vscode`.
 */
import { blockedShort } from '../../../runtime/src/protocol/blockedText';
import type { LoopBlockedMessage } from '../../../runtime/src/protocol/watchdogWire';

export class BlockedLoops {
  private readonly bySession = new Map<string, { m: LoopBlockedMessage; at: number }>();

  /** A custom event of a session (`now`: Date.now() when it arrived). Returns whether that session's block changed. */
  onEvent(sessionId: string, event: string, body: unknown, now: number): boolean {
    switch (event) {
      case 'loopscope/loopBlocked':
        this.bySession.set(sessionId, { m: body as LoopBlockedMessage, at: now });
        return true;
      case 'loopscope/loopUnblocked':
      // The runtime stopped or ran a command: its loop is not blocked.
      case 'loopscope/stopped':
      case 'loopscope/continued':
        return this.bySession.delete(sessionId);
      case 'loopscope/status':
        return (body as { state?: string }).state === 'exited' ? this.bySession.delete(sessionId) : false;
      default:
        return false;
    }
  }

  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  get any(): boolean {
    return this.bySession.size > 0;
  }

  /** What blocks the session's loop now, its duration counted to `now` (null: it is not blocked). */
  blocked(sessionId: string, now: number): LoopBlockedMessage | null {
    const b = this.bySession.get(sessionId);
    return b ? { ...b.m, blockedMs: b.m.blockedMs + Math.max(0, now - b.at) } : null;
  }

  /** "loop blocked 2.3 s by worker-3 (#5) at crawler.ts:40", or null. */
  text(sessionId: string, now: number): string | null {
    const m = this.blocked(sessionId, now);
    return m ? blockedShort(m) : null;
  }
}
