import type { Coroutine } from '../coroutine';
import { CancelledError, ExceptionGroup, RuntimeError } from '../errors';
import type { Future } from '../future';
import type { EventLoop } from '../loop';
import { getRunningLoop } from '../running';
import { isInstance } from '../safeText';
import type { Task, TaskOptions } from '../task';
import { tagWait } from '../waits';

/**
 * asyncio.TaskGroup (3.12): tasks created with `tg.createTask` all finish before the group's block
 * is left. When one fails, the others and the block itself are cancelled, and the group throws an
 * ExceptionGroup (an AggregateError) holding every child error.
 */
export class TaskGroup {
  private _entered = false;
  private _exiting = false;
  private _aborting = false;
  private _loop: EventLoop | null = null;
  private _parentTask: Task<unknown> | null = null;
  private _parentCancelRequested = false;
  readonly _tasks = new Set<Task<unknown>>();
  private _errors: unknown[] = [];
  private _onCompletedFut: Future<boolean> | null = null;

  /** Creates a task in the group; it runs when the creator next suspends. */
  createTask<T>(coro: Coroutine<T>, options?: TaskOptions): Task<T> {
    if (!this._entered) throw new RuntimeError('TaskGroup has not been entered');
    if (this._exiting && this._tasks.size === 0) throw new RuntimeError('TaskGroup is finished');
    if (this._aborting) throw new RuntimeError('TaskGroup is shutting down');
    const task = this._loop!.createTask(coro, options);
    if (task.done()) this._onTaskDone(task as Task<unknown>);
    else {
      this._tasks.add(task as Task<unknown>);
      task.addDoneCallback(this._onTaskDone);
    }
    return task;
  }

  /** The group's tasks still running. */
  tasks(): Task<unknown>[] {
    return [...this._tasks];
  }

  _enter(): void {
    if (this._entered) throw new RuntimeError('TaskGroup has already been entered');
    this._loop ??= getRunningLoop();
    this._parentTask = this._loop._currentTask;
    if (this._parentTask === null) throw new RuntimeError('TaskGroup cannot determine the parent task');
    this._entered = true;
  }

  /** asyncio's __aexit__: waits for every child, then decides what the block throws (returns: nothing to add). */
  *_exit(hasError: boolean, error: unknown): Coroutine<void> {
    this._exiting = true;
    const parent = this._parentTask!;
    let propagateCancellation: unknown = hasError && isInstance(error, CancelledError) ? error : null;
    let propagate = propagateCancellation !== null;
    if (this._parentCancelRequested) {
      // We cancelled the parent ourselves: withdraw that, and if nothing else wants it cancelled,
      // don't propagate the CancelledError.
      if (parent.uncancel() === 0) {
        propagateCancellation = null;
        propagate = false;
      }
    }
    if (hasError && !this._aborting) {
      // The parent is being cancelled, or the block threw: cancel the children.
      this._abort();
    }
    // Loop: the completion future can be cancelled repeatedly if the parent is cancelled again.
    while (this._tasks.size) {
      if (this._onCompletedFut === null) {
        this._onCompletedFut = tagWait(this._loop!.createFuture<boolean>(), 'taskGroup', { futures: this._tasks });
      }
      try {
        yield* this._onCompletedFut;
      } catch (ex) {
        if (!isInstance(ex, CancelledError)) throw ex;
        if (!this._aborting) {
          // The parent was cancelled while the children still ran.
          propagateCancellation = ex;
          propagate = true;
          this._abort();
        }
      }
      this._onCompletedFut = null;
    }
    // Other errors take priority over a CancelledError.
    if (propagate && this._errors.length === 0) throw propagateCancellation;
    if (hasError && !isInstance(error, CancelledError)) this._errors.push(error);
    if (this._errors.length) {
      const errors = this._errors;
      this._errors = [];
      throw new ExceptionGroup('unhandled errors in a TaskGroup', errors);
    }
  }

  private _abort(): void {
    this._aborting = true;
    for (const t of this._tasks) if (!t.done()) t.cancel();
  }

  private readonly _onTaskDone = (task: Future<unknown>): void => {
    const t = task as Task<unknown>;
    this._tasks.delete(t);
    if (this._onCompletedFut !== null && this._tasks.size === 0 && !this._onCompletedFut.done()) this._onCompletedFut.setResult(true);
    if (t.cancelled()) return;
    const exc = t.exception();
    if (!t._hasException) return; // (a child may throw null: that is an error too)
    this._errors.push(exc);
    const parent = this._parentTask!;
    if (parent.done()) {
      this._loop!.callExceptionHandler({
        message: `Task ${t.getName()} has errored out but its parent task ${parent.getName()} is already completed`,
        exception: exc,
        task: t,
      });
      return;
    }
    if (!this._aborting && !this._parentCancelRequested) {
      // Cancel the block the parent is running (and the siblings); __aexit__ un-cancels the parent.
      this._abort();
      this._parentCancelRequested = true;
      parent.cancel();
    }
  };
}

/**
 * asyncio.TaskGroup as a scope: runs `body(tg)`, then waits for every task created with
 * `tg.createTask`. Returns the body's result; if a child fails, the others are cancelled and an
 * ExceptionGroup holding every child error is thrown.
 *
 *   yield* taskGroup(function* (tg) { tg.createTask(fetch(a)); tg.createTask(fetch(b)); });
 */
export function* taskGroup<T>(body: (tg: TaskGroup) => Coroutine<T>): Coroutine<T> {
  const tg = new TaskGroup();
  tg._enter();
  let result: T;
  try {
    result = yield* body(tg);
  } catch (err) {
    yield* tg._exit(true, err);
    throw err;
  }
  yield* tg._exit(false, undefined);
  return result;
}
