/**
 * Bookkeeping for asyncio's "exception was never retrieved". CPython reports it when the future is
 * garbage collected; here a FinalizationRegistry does the same, and the loop reports the rest when it
 * closes, so a short program's forgotten failure is never silent.
 */
export interface UnretrievedToken {
  retrieved: boolean;
  error: unknown;
  /** "Task 'worker-1'" or "Future": who held it, fixed when the exception was set. */
  owner: string;
  /** The future while it is alive. */
  ref: WeakRef<object>;
}
