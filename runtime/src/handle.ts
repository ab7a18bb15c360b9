import type { EventLoop } from './loop';
import type { HeapItem } from './heap';
import { functionName } from './safeText';

/** Anything the ready queue holds: a callback handle or a task whose next step is due. */
export interface Runnable {
  /** True for a handle cancelled after it was queued: the loop skips it. */
  _dead: boolean;
  _run(): void;
}

/** A callback scheduled with callSoon (asyncio's Handle). */
export class Handle implements Runnable {
  _dead = false;
  constructor(
    readonly _fn: (...args: any[]) => void,
    readonly _args: readonly unknown[],
    readonly _loop: EventLoop,
  ) {}

  cancel(): void {
    this._dead = true;
  }

  cancelled(): boolean {
    return this._dead;
  }

  _run(): void {
    try {
      const a = this._args;
      if (a.length === 1) this._fn(a[0]);
      else this._fn(...a);
    } catch (err) {
      this._loop.callExceptionHandler({ message: `Exception in callback ${functionName(this._fn)}`, exception: err, handle: this });
    }
  }
}

let timerSeq = 0;

/** A callback scheduled at a loop time (asyncio's TimerHandle); ordered by deadline, then creation. */
export class TimerHandle extends Handle implements HeapItem {
  readonly seq = ++timerSeq;
  /** True while it sits in the loop's timer heap. */
  _scheduled = true;
  constructor(
    readonly when: number,
    fn: (...args: any[]) => void,
    args: readonly unknown[],
    loop: EventLoop,
  ) {
    super(fn, args, loop);
  }

  override cancel(): void {
    if (!this._dead) {
      this._dead = true;
      if (this._scheduled) this._loop._timerCancelled();
    }
  }
}
