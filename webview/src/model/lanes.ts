/**
 * The timeline's swimlanes: one per task, in the order tasks first appear in the timeline (which is
 * creation order for tasks created while the timeline was on). Task ids map to lanes through a
 * dense Int32Array (the runtime numbers tasks 1, 2, 3...), so drawing a million events costs one
 * array read per event, not a Map lookup.
 */
import { EventKind } from '../../../runtime/src/protocol/wire';
import { IdIndex } from './idIndex';

export class Lanes {
  private readonly index = new IdIndex();
  /** Lane -> task id. */
  readonly taskIds: number[] = [];
  /** Lane -> loop time of the task's first event, and of its end (done/failed/cancelled; Infinity while it lives). */
  readonly start: number[] = [];
  readonly end: number[] = [];
  /** Lane -> the kind of the task's final event, or -1 while it lives. */
  readonly endKind: number[] = [];

  get count(): number {
    return this.taskIds.length;
  }

  clear(): void {
    this.index.clear();
    this.taskIds.length = 0;
    this.start.length = 0;
    this.end.length = 0;
    this.endKind.length = 0;
  }

  /** The lane of a task, or -1 if it has none. */
  laneOf(taskId: number): number {
    return this.index.get(taskId);
  }

  /** The dense id -> lane table (-1: none) for hot loops; ids beyond its length go through laneOf. */
  get table(): Int32Array {
    return this.index.table;
  }

  /** Notes an event: gives the task a lane on its first event and tracks its life span. */
  note(kind: number, taskId: number, time: number): void {
    let lane = this.laneOf(taskId);
    if (lane < 0) lane = this.add(taskId, time);
    if (kind === EventKind.done || kind === EventKind.failed || kind === EventKind.cancelled) {
      this.end[lane] = time;
      this.endKind[lane] = kind;
    }
  }

  private add(taskId: number, time: number): number {
    const lane = this.taskIds.length;
    this.taskIds.push(taskId);
    this.start.push(time);
    this.end.push(Infinity);
    this.endKind.push(-1);
    this.index.set(taskId, lane);
    return lane;
  }
}
