/**
 * Never-awaited coroutines for one debugger: what transformed modules noted on the shared object
 * (key.ts `f`: a ring of the last NEVER_AWAITED_KEPT (site, name) pairs, and their count `gn`),
 * read at each batch, each call site reported once. A loop that forgets a `yield*` a million times
 * is one line in the editor, not a million messages.
 */
import { NEVER_AWAITED_KEPT, SITES_KEY, type SitesGlobal } from '../sites/key';
import { siteFrame } from '../sites/registry';
import type { NeverAwaitedCoroutine, NeverAwaitedMessage } from '../protocol/wire';

/** Call sites reported at most, per connection: beyond, new ones are counted as dropped. */
export const MAX_REPORTED_SITES = 10_000;
/** Coroutines per message. */
const PER_MESSAGE = 1000;

const K = Symbol.for(SITES_KEY);

export class NeverAwaitedReader {
  /** How many of the shared object's `gn` this reader has looked at. */
  private seen = 0;
  /** Site ids reported (or being reported) on this connection. */
  private readonly reported = new Set<number>();
  /** Lost before being read (the ring wrapped), or beyond MAX_REPORTED_SITES, not yet told. */
  private dropped = 0;
  /** Read, not yet sent (more than PER_MESSAGE at once). */
  private readonly waiting: NeverAwaitedCoroutine[] = [];

  /** The next message to send (null: nothing new). Call again until null to send all. */
  take(): NeverAwaitedMessage | null {
    this.read();
    if (this.waiting.length === 0 && this.dropped === 0) return null;
    const msg: NeverAwaitedMessage = { type: 'neverAwaited', coroutines: this.waiting.splice(0, PER_MESSAGE) };
    if (this.dropped > 0) msg.dropped = this.dropped;
    this.dropped = 0;
    return msg;
  }

  private read(): void {
    const s = (globalThis as { [K]?: SitesGlobal })[K];
    if (s === undefined || s.gn === undefined || s.gn === this.seen) return;
    const total = s.gn;
    let from = this.seen;
    // The ring keeps the last NEVER_AWAITED_KEPT: older ones were overwritten unread.
    if (total - from > NEVER_AWAITED_KEPT) {
      this.dropped += total - NEVER_AWAITED_KEPT - from;
      from = total - NEVER_AWAITED_KEPT;
    }
    this.seen = total;
    for (let k = from; k < total; k++) {
      const i = (k % NEVER_AWAITED_KEPT) * 2;
      const site = s.g[i] as number;
      if (this.reported.has(site)) continue;
      if (this.reported.size >= MAX_REPORTED_SITES) {
        this.dropped++;
        continue;
      }
      this.reported.add(site);
      const f = siteFrame(site);
      if (f === null) continue;
      this.waiting.push({ name: String(s.g[i + 1]), location: { ...f } });
    }
  }
}
