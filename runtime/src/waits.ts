import type { Future, WaitKind } from './future';
import type { Task } from './task';
import type { TimerHandle } from './handle';

/**
 * What a task awaits, as the runtime records it for the debugger. A suspended task's
 * `waitingOn()` future carries `_waitKind` and `_waitOn`; this module is the contract for what
 * `_waitOn` holds per kind, between the runtime's combinators and primitives (which set them)
 * and the instrumentation (which reads them):
 *
 * | `_waitKind`                                              | `_waitOn`                          |
 * |----------------------------------------------------------|------------------------------------|
 * | (the awaited future is itself a Task)                    | — (kind "task": `instanceof Task`) |
 * | `null` / `'future'`                                      | null, or a label string            |
 * | `'sleep'`                                                | a SleepWait (`when`, `delay`: ms)  |
 * | `'promise'`                                              | a label string                     |
 * | `'gather'` `'wait'` `'asCompleted'` `'taskGroup'` `'shield'` | a WaitGroup                    |
 * | `'lock'` `'event'` `'condition'` `'semaphore'` `'queue.get'` `'queue.put'` `'queue.join'` | the Resource |
 */
export interface WaitGroup {
  /** The awaited futures (tasks among them); the debugger shows the ones still pending. */
  readonly futures: Iterable<Future<unknown>>;
  /** Loop time (ms) of a timeout bounding the wait, if any. */
  deadline?: number;
}

/** What a sleep waits on: when it ends (loop ms) and how long it is (ms). */
export interface SleepWait {
  readonly when: number;
  readonly delay: number;
}

export type ResourceKind = 'lock' | 'event' | 'condition' | 'semaphore' | 'queue';

/** A synchronization primitive as the debugger sees it. Lock, Event, Condition, Semaphore and the queues implement it. */
export interface Resource {
  /** Unique among the process's resources, assigned at construction. */
  readonly resourceId: number;
  readonly resourceKind: ResourceKind;
  /** The user's name (the `name` option) or a generated one such as `Lock#3`. */
  readonly name: string;
  /** Its state now; called only by instrumentation, so it may allocate. */
  _resourceState(): ResourceState;
}

export interface ResourceState {
  /** Lock (and a Condition's lock): the task holding it. */
  holder?: Task<unknown> | null;
  /** Semaphore: its counter; Event: 1 when set, else 0. */
  value?: number;
  /** Queue: items in it now, and its bound (0: unbounded). */
  size?: number;
  maxsize?: number;
  /** Queue: items put and not yet marked done with taskDone() (what join() waits for). */
  unfinished?: number;
  /** The futures of the tasks waiting on it, in wake-up order. */
  waiters: Future<unknown>[];
}

let nextResourceId = 1;

/** A new resource id (process-wide counter). */
export function newResourceId(): number {
  return nextResourceId++;
}

/** Tags `fut` as a wait of `kind` on `on` (see the table above). */
export function tagWait<T>(fut: Future<T>, kind: WaitKind, on: unknown): Future<T> {
  fut._waitKind = kind;
  fut._waitOn = on;
  return fut;
}

export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && typeof (value as Resource).resourceId === 'number' && typeof (value as Resource)._resourceState === 'function';
}

export type { TimerHandle };
