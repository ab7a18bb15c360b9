// Stuck findings with frozen tasks (the debugger's freezeTask): a frozen task is not stuck itself;
// a task that waits on it, directly or down a chain, or on a primitive only it is left to signal,
// is "stuck because frozen" — and not stuck at all once it is thawed.
import { describe, it, expect } from 'vitest';
import { findStuck } from '../../runtime/src/protocol/forest';
import { describeState } from '../../runtime/src/protocol/describe';
import { task, waiting, lock, resource } from './records';

const opts = { now: 10_000 };

describe('findStuck with frozen tasks', () => {
  it('waiting on a frozen task, and on a task that waits on it: stuck because frozen (the frozen task named)', () => {
    const tasks = [
      waiting(1, 'main', { kind: 'task', taskId: 2 }),
      waiting(2, 'collector', { kind: 'gather', taskIds: [3] }),
      task(3, 'worker-2', 'ready', { frozen: true }),
    ];
    expect(findStuck(tasks, [], opts)).toEqual([
      { taskId: 1, reason: 'frozen', text: 'stuck because frozen: worker-2 is frozen' },
      { taskId: 2, reason: 'frozen', text: 'stuck because frozen: worker-2 is frozen' },
    ]);
    // Thawed: nobody is stuck (worker-2 is ready).
    expect(findStuck(tasks.map((t) => ({ ...t, frozen: undefined })), [], opts)).toEqual([]);
  });

  it('a frozen task that is itself suspended for long is not reported (no-progress skips it); its lock waiters are', () => {
    const tasks = [
      waiting(1, 'holder', { kind: 'sleep', deadline: 0 }, { frozen: true }),
      waiting(2, 'waiter', { kind: 'lock', resourceId: 9, holderId: 1 }),
    ];
    expect(findStuck(tasks, [lock(9, 'db', 1, [2])], { ...opts, idleMs: 100 })).toEqual([{ taskId: 2, reason: 'frozen', text: 'stuck because frozen: holder is frozen' }]);
  });

  it('a primitive only frozen tasks are left to signal: stuck because frozen, not "no task left can wake it"', () => {
    const tasks = [
      waiting(1, 'consumer', { kind: 'queue.get', resourceId: 5, size: 0, maxsize: 0 }),
      task(2, 'producer-1', 'ready', { frozen: true }),
      waiting(3, 'producer-2', { kind: 'sleep', deadline: 20_000 }, { frozen: true }),
    ];
    expect(findStuck(tasks, [resource(5, 'queue', 'jobs', { waiterIds: [1] })], opts)).toEqual([
      { taskId: 1, reason: 'frozen', text: 'stuck because frozen: producer-1, producer-2 are frozen' },
    ]);
    // Another task may still run (not frozen): nothing is certain, nobody is reported.
    expect(findStuck([...tasks, task(4, 'free', 'ready')], [resource(5, 'queue', 'jobs', { waiterIds: [1] })], opts)).toEqual([]);
  });

  it('the state in words says frozen first, and only while the task is unfinished', () => {
    expect(describeState(task(1, 'w', 'ready', { frozen: true }))).toBe('❄ frozen, ready');
    expect(describeState(task(1, 'w', 'suspended', { frozen: true, cancelling: 1 }))).toBe('❄ frozen, suspended, cancelling');
    expect(describeState(task(1, 'w', 'done', { frozen: true }))).toBe('done');
  });
});
