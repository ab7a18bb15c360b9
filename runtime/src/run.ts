import type { Coroutine } from './coroutine';
import { RuntimeError } from './errors';
import { hooks, callHook } from './hooks';
import { EventLoop, type LoopOptions } from './loop';
import { getRunningLoopOrNull, setRunningLoop, getRunningLoop } from './running';
import { Task, checkCoroutine, type TaskOptions } from './task';
import { agentStartup, debuggerRequested } from './agent/index';

export interface RunOptions extends LoopOptions {
  /** Name of the main task (default: asyncio's `Task-N`). */
  name?: string;
}

/**
 * Work to do when a loop starts, before the main task is created (the debugger agent connects here,
 * so that a "stop on entry" stops before the first task step). Registered by the agent module.
 */
let startupHook: ((loop: EventLoop) => Promise<void> | void) | null = null;
export function setStartupHook(hook: ((loop: EventLoop) => Promise<void> | void) | null): void {
  startupHook = hook;
}

/**
 * asyncio.run: starts an event loop, runs `main` as a task to completion, then cancels every task
 * still pending and lets them finish, and closes the loop. Resolves with main's result or rejects
 * with its exception.
 */
export async function run<T>(main: Coroutine<T>, options: RunOptions = {}): Promise<T> {
  checkCoroutine(main);
  if (getRunningLoopOrNull() !== null) {
    // Close the coroutine so it does not linger half-made, as asyncio does.
    main.return(undefined as T);
    throw new RuntimeError('run() cannot be called from a running event loop');
  }
  const loop = new EventLoop(options);
  setRunningLoop(loop);
  try {
    const started = hooks.loopStarted;
    if (started !== null) callHook(started, loop);
    // The debugger agent, when the environment asks for one (LOOPSCOPE_CONNECT / LOOPSCOPE_LISTEN).
    if (debuggerRequested()) await agentStartup(loop);
    if (startupHook !== null) await startupHook(loop);
    const task = new Task(main, { name: options.name }, loop);
    await loop._runUntilComplete(task);
    return task.result();
  } finally {
    try {
      await cancelAllTasks(loop);
    } finally {
      loop._close();
      setRunningLoop(null);
      const closed = hooks.loopClosed;
      if (closed !== null) callHook(closed, loop);
    }
  }
}

/** asyncio.runners._cancel_all_tasks: cancel what is left, let it finish, report what failed. */
async function cancelAllTasks(loop: EventLoop): Promise<void> {
  const toCancel = [...loop._tasks];
  if (toCancel.length === 0) return;
  for (const t of toCancel) t.cancel();
  const all = loop.createFuture<void>();
  let pending = toCancel.length;
  const onDone = () => {
    if (--pending === 0) all.setResult(undefined);
  };
  for (const t of toCancel) t.addDoneCallback(onDone);
  await loop._runUntilComplete(all);
  for (const t of toCancel) {
    if (t.cancelled()) continue;
    const exc = t.exception();
    if (t._hasException) loop.callExceptionHandler({ message: 'unhandled exception during run() shutdown', exception: exc, task: t });
  }
}

/** Schedules `coro` as a task on the running loop and returns it at once; it runs when the caller next suspends. */
export function createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
  return getRunningLoop().createTask(coro, options);
}

/** The task running now, or null outside of a task. */
export function currentTask(): Task<unknown> | null {
  return getRunningLoopOrNull()?._currentTask ?? null;
}

/** The running loop's unfinished tasks. */
export function allTasks(): Set<Task<unknown>> {
  return new Set(getRunningLoop()._tasks);
}
