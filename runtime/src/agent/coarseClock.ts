/**
 * A clock the timeline reads at every task step for the cost of one memory load. Reading the real
 * clock (performance.now(), Date.now()) costs 30-90 ns on the machines here, more than a whole task
 * switch (~45 ns): a timeline that read it twice per step could not stay on. Instead a worker thread
 * writes the time into shared memory about every 0.2 ms, and the main thread reads that value.
 *
 * The value is the main thread's performance.now() (the loop's real clock), at most ~0.2 ms old (more
 * on a loaded machine, where the worker waits for a core). Steps are recorded in order whatever their
 * times say; a step shorter than the tick shows as starting and ending at the same time.
 */
import { Worker } from 'node:worker_threads';

// The worker: writes the time, then waits on the stop flag with a timeout (a sleep that a stop ends).
const WORKER = `
const { workerData } = require('node:worker_threads');
const time = new Float64Array(workerData.buffer, 0, 1);
const stop = new Int32Array(workerData.buffer, 8, 1);
const shift = performance.timeOrigin - workerData.origin;
for (;;) {
  time[0] = performance.now() + shift;
  if (Atomics.wait(stop, 0, 0, ${0.2}) !== 'timed-out') break;
}
`;

export class CoarseClock {
  private readonly buffer = new SharedArrayBuffer(16);
  private readonly time = new Float64Array(this.buffer, 0, 1);
  private readonly stopFlag = new Int32Array(this.buffer, 8, 1);
  private worker: Worker | null = null;

  /** Starts the ticking thread (idempotent). Until its first tick, now() reads the real clock. */
  start(): void {
    if (this.worker !== null) return;
    Atomics.store(this.stopFlag, 0, 0);
    this.time[0] = 0;
    try {
      // No execArgv: the program's --import loaders (tsx, the await-site transform) have nothing to do here,
      // and loading them delayed the first tick by tens of milliseconds.
      const w = new Worker(WORKER, { eval: true, execArgv: [], workerData: { buffer: this.buffer, origin: performance.timeOrigin }, stdout: false, stderr: false });
      // Never the reason a program stays alive, and never a crash of the program if it fails.
      w.unref();
      w.on('error', () => {
        this.worker = null;
      });
      this.worker = w;
    } catch {
      this.worker = null;
    }
  }

  /** Ends the thread; now() reads the real clock again. */
  stop(): void {
    if (this.worker === null) return;
    Atomics.store(this.stopFlag, 0, 1);
    Atomics.notify(this.stopFlag, 0);
    void this.worker.terminate().catch(() => {});
    this.worker = null;
    this.time[0] = 0;
  }

  /** The main thread's performance.now(), to the last tick (the real clock before the first one). */
  now(): number {
    const t = this.time[0];
    return t > 0 ? t : performance.now();
  }
}
