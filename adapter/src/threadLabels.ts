/**
 * Keeps the Call Stack's thread names current while the loop runs. VS Code reads the threads (their
 * names say what each task does: "worker-2 #5 suspended 1.2 s at x.ts:14: sleep 300 ms, 80 ms left")
 * only after a `stopped` or `thread` event, and shows what it read until the next one. While the loop
 * runs, tasks move on and time passes without either, so the names went stale ("sleep 300 ms" long
 * after the task had moved on to Queue.get).
 *
 * So, while running, the names the adapter would give now are compared with the ones it last gave,
 * at most once per interval; when they differ, a `thread` event (reason `started`, for a listed
 * thread: VS Code then re-reads the whole list) says so. Nothing is sent while nothing changed, and a
 * comparison that costs much (many tasks) is spaced out to stay a small share of the time.
 */

export interface ThreadLabel {
  id: number;
  name: string;
}

/** Most of the adapter's time the comparisons may take. */
const COST_SHARE = 0.02;

export class ThreadLabelWatch {
  private last = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private notBefore = 0;

  constructor(
    /** The threads as the adapter would list them now, or null when they need no watching (stopped, not connected). */
    private readonly current: () => ThreadLabel[] | null,
    /** Tells the client to read the threads again. */
    private readonly announce: (threadId: number) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The list just given to the client (a threads request): what it shows until told otherwise. */
  answered(threads: readonly ThreadLabel[]): void {
    this.last = textOf(threads);
  }

  /** Starts comparing once per interval (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.intervalMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One comparison (the timer's; tests call it directly). Returns whether the client was told. */
  check(): boolean {
    const t0 = this.now();
    if (t0 < this.notBefore) return false;
    const threads = this.current();
    if (threads === null || threads.length === 0) return false;
    const text = textOf(threads);
    const cost = this.now() - t0;
    this.notBefore = t0 + cost / COST_SHARE;
    if (text === this.last) return false;
    // Remembered as told: a client that does not read the threads again is not told twice.
    this.last = text;
    this.announce(threads[0]!.id);
    return true;
  }
}

function textOf(threads: readonly ThreadLabel[]): string {
  let s = '';
  for (const t of threads) s += `${t.id}\u0000${t.name}\u0001`;
  return s;
}
