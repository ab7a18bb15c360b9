/**
 * Frozen tasks (Visual Studio's freeze/thaw of a thread, for a task): a frozen task takes no step
 * while the others run. Nothing else about it changes: it gets no CancelledError, its timers still
 * fire, what it awaits still completes. Only the step that would follow is held aside.
 *
 * How: while any task is frozen the controller is the loop's LoopControl, and its beforeRun answers
 * 'hold' for a frozen task's step; the loop takes that entry off the ready queue without running it,
 * and it waits here. A task has at most one step queued, so at most one held entry.
 *
 * Thaw's rule ("its place"): a held step goes back at the END of the ready queue when its task is
 * thawed, as if the task had been woken at that moment (the ones that became ready meanwhile ran
 * first; that is the point of freezing). When several are thawed at once (thawing all, the debugger
 * leaving) they go back in the order the loop reached them, which is the order they became ready.
 * A task frozen while ready and thawed before the loop reached it never left its place.
 *
 * Cancelling a frozen task is delivered when it is thawed: cancel() either cancels what it awaits
 * (the wake-up is held) or marks the next step to raise, and that step is held.
 */
import type { Task } from '../task';
import type { EventLoop } from '../loop';
import { globMatch } from '../protocol/glob';

export class Freezer {
  private readonly frozen = new Set<Task<unknown>>();
  /** Held steps, in the order the loop reached them. */
  private held: Task<unknown>[] = [];
  /** Task-name globs: a task created with a matching name is frozen before its first step. */
  names: string[] = [];
  /** Thaw every frozen task when the loop has nothing else to do, ever (the CLI's --freeze). */
  thawWhenIdle = false;
  /** Told of each task frozen or thawed (its record changed). */
  onChange: ((task: Task<unknown>) => void) | null = null;

  get size(): number {
    return this.frozen.size;
  }

  has(task: Task<unknown>): boolean {
    return this.frozen.has(task);
  }

  /** The frozen tasks, oldest first. */
  tasks(): Task<unknown>[] {
    return [...this.frozen].sort((a, b) => a.id - b.id);
  }

  /** Freezes `task`; false if it already was. */
  freeze(task: Task<unknown>): boolean {
    if (this.frozen.has(task)) return false;
    this.frozen.add(task);
    this.onChange?.(task);
    return true;
  }

  /** A task just created: frozen if its name matches one of `names`. */
  freezeIfNamed(task: Task<unknown>, name: string): void {
    for (const pattern of this.names) {
      if (globMatch(pattern, name)) {
        this.freeze(task);
        return;
      }
    }
  }

  /** The loop reached a frozen task's step: keep it until the task is thawed. */
  hold(task: Task<unknown>): void {
    this.held.push(task);
  }

  /** Thaws `task`, giving its held step back to the loop; false if it was not frozen. */
  thaw(task: Task<unknown>, loop: EventLoop | null): boolean {
    if (!this.frozen.delete(task)) return false;
    const i = this.held.indexOf(task);
    if (i >= 0) {
      this.held.splice(i, 1);
      if (loop !== null && task._loop === loop) loop._giveBack(task);
    }
    this.onChange?.(task);
    return true;
  }

  /** Thaws every frozen task (held steps back in the order they became ready); returns them. */
  thawAll(loop: EventLoop | null): Task<unknown>[] {
    const thawed = this.tasks();
    const held = this.held;
    this.held = [];
    this.frozen.clear();
    for (const task of held) if (loop !== null && task._loop === loop) loop._giveBack(task);
    if (this.onChange !== null) for (const task of thawed) this.onChange(task);
    return thawed;
  }

  /** The loop closed (its ready queue is gone): forget everything frozen. */
  clear(): void {
    this.frozen.clear();
    this.held = [];
  }
}
