/**
 * The timeline's swimlanes: one per task, in the order tasks first appear in the timeline (which is
 * creation order for tasks created while the timeline was on). Task ids map to lanes through a
 * dense Int32Array (the runtime numbers tasks 1, 2, 3...), so drawing a million events costs one
 * array read per event, not a Map lookup.
 */
import { EventKind } from '../../../runtime/src/protocol/wire';

/** Ids at or beyond this use a Map (a sparse id space must not allocate a huge table). */
const DENSE_LIMIT = 1 << 24;

export class Lanes {
  private dense = new Int32Array(1024).fill(-1);
  private sparse = new Map<number, number>();
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
    this.dense = new Int32Array(1024).fill(-1);
    this.sparse.clear();
    this.taskIds.length = 0;
    this.start.length = 0;
    this.end.length = 0;
    this.endKind.length = 0;
  }

  /** The lane of a task, or -1 if it has none. */
  laneOf(taskId: number): number {
    if (taskId >= 0 && taskId < this.dense.length) return this.dense[taskId];
    return this.sparse.get(taskId) ?? -1;
  }

  /** The dense id -> lane table (-1: none) for hot loops; ids beyond its length go through laneOf. */
  get table(): Int32Array {
    return this.dense;
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
    if (taskId >= 0 && taskId < DENSE_LIMIT) {
      if (taskId >= this.dense.length) {
        let size = this.dense.length;
        while (size <= taskId) size *= 2;
        const grown = new Int32Array(Math.min(size, DENSE_LIMIT)).fill(-1);
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[taskId] = lane;
    } else this.sparse.set(taskId, lane);
    return lane;
  }
}
