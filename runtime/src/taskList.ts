import type { Task } from './task';

/**
 * A loop's unfinished tasks (allTasks()), in creation order: a doubly linked list threaded through
 * the tasks themselves (`_prevLive`, `_nextLive`), so creating and finishing a task costs a few
 * pointer writes. It was a Set: a hash-table insert and delete per task, a fifth of the spawn
 * benchmark's time. Iterating takes a snapshot (tasks finishing meanwhile are still visited, tasks
 * created meanwhile are not); every reader copies or only reads.
 */
export class TaskList implements Iterable<Task<unknown>> {
  size = 0;
  private _head: Task<unknown> | null = null;
  private _tail: Task<unknown> | null = null;

  add(task: Task<unknown>): void {
    if (this.has(task)) return;
    const tail = this._tail;
    task._prevLive = tail;
    task._nextLive = null;
    if (tail === null) this._head = task;
    else tail._nextLive = task;
    this._tail = task;
    this.size++;
  }

  /** Unlinks `task`; its links are cleared so a finished task the program keeps holds no other task. */
  delete(task: Task<unknown>): boolean {
    if (!this.has(task)) return false;
    const prev = task._prevLive;
    const next = task._nextLive;
    if (prev === null) this._head = next;
    else prev._nextLive = next;
    if (next === null) this._tail = prev;
    else next._prevLive = prev;
    task._prevLive = null;
    task._nextLive = null;
    this.size--;
    return true;
  }

  has(task: Task<unknown>): boolean {
    return task._prevLive !== null ? task._prevLive._nextLive === task : this._head === task;
  }

  /** The tasks, oldest first. */
  toArray(): Task<unknown>[] {
    const out = new Array<Task<unknown>>(this.size);
    let i = 0;
    for (let t = this._head; t !== null; t = t._nextLive) out[i++] = t;
    return out;
  }

  [Symbol.iterator](): Iterator<Task<unknown>> {
    return this.toArray()[Symbol.iterator]();
  }
}
