/**
 * The live view on a terminal: the task tree drawn below the program's own output and redrawn in
 * place (at most ~10 times a second). The program's output is written above it: the tree is
 * erased, the output's complete lines written, the tree drawn again.
 */
import type { Writable } from 'node:stream';

const MIN_REDRAW_MS = 100;
/** A partial line of program output (a prompt) is shown after this long, the tree then waiting for its end. */
const PARTIAL_LINE_MS = 200;

export interface ScreenOutput extends Pick<Writable, 'write'> {
  columns?: number;
  rows?: number;
}

export class LiveScreen {
  /** How many lines the tree now on screen takes (0: none drawn). */
  private drawn = 0;
  private pendingFrame: (() => string[]) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDraw = 0;
  private partial = '';
  private partialTimer: ReturnType<typeof setTimeout> | null = null;
  /** A partial line was written: the cursor is mid-line, so no tree until the program ends it. */
  private midLine = false;
  private closed = false;

  constructor(private readonly out: ScreenOutput) {}

  /** Asks for a redraw with the frame `frame()` returns, within the redraw rate. */
  update(frame: () => string[]): void {
    if (this.closed) return;
    this.pendingFrame = frame;
    if (this.timer) return;
    const wait = Math.max(0, this.lastDraw + MIN_REDRAW_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drawPending();
    }, wait);
  }

  /** The program's output: written above the tree, whole lines at a time. */
  programOutput(chunk: string | Buffer, to: ScreenOutput = this.out): void {
    const text = this.partial + chunk.toString();
    const end = text.lastIndexOf('\n');
    this.partial = end < 0 ? text : text.slice(end + 1);
    if (end >= 0) {
      this.erase();
      to.write(text.slice(0, end + 1));
      this.midLine = false;
      if (this.pendingFrame) this.drawPending();
    }
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = this.partial
      ? setTimeout(() => {
          this.erase();
          to.write(this.partial);
          this.partial = '';
          this.midLine = true;
        }, PARTIAL_LINE_MS)
      : null;
  }

  /** Erases the live tree (for a final print) and stops drawing. Flushes held program output. */
  close(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.erase();
    if (this.partial) this.out.write(this.partial + '\n');
    else if (this.midLine) this.out.write('\n');
    this.partial = '';
    this.closed = true;
  }

  private drawPending(): void {
    const frame = this.pendingFrame;
    if (!frame || this.midLine || this.closed) return;
    this.pendingFrame = null;
    // Some pseudo-terminals report 0 rows: assume a classic 24.
    const rows = Math.max(3, (this.out.rows || 24) - 1);
    let lines = frame();
    if (lines.length > rows) lines = [...lines.slice(0, rows - 1), `\x1b[2m… ${lines.length - rows + 1} more lines (the terminal is too short)\x1b[0m`];
    this.erase();
    this.out.write(lines.map((l) => `${l}\x1b[K\n`).join(''));
    this.drawn = lines.length;
    this.lastDraw = Date.now();
  }

  private erase(): void {
    if (this.drawn === 0) return;
    // Up to the tree's first line, then clear to the end of the screen.
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }
}
