/**
 * Turns a stream of "something changed" into at most one flush per interval: the first change after
 * a quiet period flushes at once, changes during the interval wait for its end and go out together.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = -Infinity;

  constructor(
    private readonly flush: () => void,
    public intervalMs = 100,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Asks for a flush; several requests within one interval produce one flush. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.run(), wait);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.timer = undefined;
    this.last = this.now();
    this.flush();
  }
}
