import type { Task } from './task';
import type { EventLoop } from './loop';
import type { Future } from './future';
import { exceptionText } from './safeText';

/**
 * An instrument observes the runtime, as Trio's instruments do. Implement only the hooks you need:
 * dispatch is per hook, so a hook no installed instrument implements is never called, and with no
 * instrument installed each hook site costs one null check.
 */
export interface Instrument {
  /** A loop started running (inside `run()`, before the main task is created). */
  loopStarted?(loop: EventLoop): void;
  /** A loop finished and closed. */
  loopClosed?(loop: EventLoop): void;
  /** A task was created by `parent` (null: created outside any task, e.g. the main task). */
  taskCreated?(task: Task<unknown>, parent: Task<unknown> | null): void;
  /** A task became ready: its next step is on the ready queue. */
  taskScheduled?(task: Task<unknown>): void;
  /** A task is about to run one step (it is resumed). */
  beforeTaskStep?(task: Task<unknown>): void;
  /**
   * A task is about to suspend: called inside its coroutine, at the `yield*` (the user's frames are on
   * the stack, so this is where a debugger captures the await chain or stops with the frames visible).
   * `awaited` is the future it will wait on (null for `sleep(0)`, which only gives up one iteration).
   */
  suspending?(task: Task<unknown>, awaited: Future<unknown> | null): void;
  /** A task resumed at the `yield*` where it suspended, inside its coroutine (user frames on the stack). */
  resuming?(task: Task<unknown>, awaited: Future<unknown> | null): void;
  /**
   * A task's step ended: it suspended (`task.waitingOn()` says on what) or finished (`task.done()`).
   * Called before `taskDone` for the final step.
   */
  afterTaskStep?(task: Task<unknown>): void;
  /** A task finished: with a result, an exception, or cancelled. */
  taskDone?(task: Task<unknown>): void;
  /** The loop has nothing ready and is about to wait (ms until the next timer, or Infinity). */
  beforeIdle?(timeoutMs: number): void;
  /** The loop woke up after an idle wait. */
  afterIdle?(): void;
  /** A future or task finished with an exception that nobody retrieved (asyncio's "exception was never retrieved"). */
  unretrievedException?(future: Future<unknown>, error: unknown): void;
}

export type HookName = Exclude<keyof Instrument, never>;
const HOOK_NAMES: HookName[] = [
  'loopStarted',
  'loopClosed',
  'taskCreated',
  'taskScheduled',
  'beforeTaskStep',
  'suspending',
  'resuming',
  'afterTaskStep',
  'taskDone',
  'beforeIdle',
  'afterIdle',
  'unretrievedException',
];

type Fn = (...args: any[]) => void;

/**
 * The dispatch table the runtime reads at each hook site: for each hook, the bound functions of the
 * instruments that implement it, or null when none does.
 */
export const hooks: { [K in HookName]: Fn[] | null } = {
  loopStarted: null,
  loopClosed: null,
  taskCreated: null,
  taskScheduled: null,
  beforeTaskStep: null,
  suspending: null,
  resuming: null,
  afterTaskStep: null,
  taskDone: null,
  beforeIdle: null,
  afterIdle: null,
  unretrievedException: null,
};

const installed: Instrument[] = [];
const listeners: (() => void)[] = [];

/**
 * Calls `fn` after every change to the installed hooks. The hottest hook points (a task's step,
 * sleep(0)) are empty prototype methods while nothing watches them; their modules use this to swap
 * the callers in and out, so that unwatched code does not even read this table.
 */
export function onHooksChanged(fn: () => void): void {
  listeners.push(fn);
}

function rebuild(): void {
  for (const name of HOOK_NAMES) {
    const fns: Fn[] = [];
    const owners: Instrument[] = [];
    for (const instrument of installed) {
      const f = instrument[name] as Fn | undefined;
      if (typeof f === 'function') {
        fns.push(f.bind(instrument));
        owners.push(instrument);
      }
    }
    (hooks as Record<string, unknown>)[name] = fns.length ? fns : null;
    implementers[name] = owners;
  }
  for (const fn of listeners) fn();
}

const implementers: { [K in HookName]?: Instrument[] } = {};

/**
 * The instruments implementing `name`, in installation order. The hottest hook points call their
 * methods directly instead of looping over the table of bound functions (task.ts), which cost
 * about as much as the task switch it watched.
 */
export function instrumentsOf(name: HookName): Instrument[] {
  return implementers[name] ?? [];
}

/** An instrument threw: said on stderr, never allowed to change what the program does. */
export function reportHookError(err: unknown): void {
  // An instrument's bug must not change the program's behaviour; say so once per error.
  process.stderr.write(`loopscope: an instrument hook threw: ${exceptionText(err)}\n`);
}

/** Installs an instrument (installing it again is a no-op). */
export function addInstrument(instrument: Instrument): void {
  if (!installed.includes(instrument)) installed.push(instrument);
  rebuild();
}

/** Removes an instrument; returns whether it was installed. */
export function removeInstrument(instrument: Instrument): boolean {
  const i = installed.indexOf(instrument);
  if (i < 0) return false;
  installed.splice(i, 1);
  rebuild();
  return true;
}

/** Calls every function of one hook; an instrument that throws is reported, never allowed to break the loop. */
export function callHook(fns: Fn[], a?: unknown, b?: unknown): void {
  for (let i = 0; i < fns.length; i++) {
    try {
      fns[i](a, b);
    } catch (err) {
      reportHookError(err);
    }
  }
}
