import { describe, expect, it } from 'vitest';
import {
  describeAwait,
  describeContext,
  describeError,
  describeState,
  describeTask,
  formatDuration,
  ordinal,
  shortLocation,
} from '../../runtime/src/protocol/describe';
import type { Await } from '../../runtime/src/protocol/wire';
import { lock, resource, task, waiting } from './records';

const tasks = [task(1, 'main'), task(2, 'worker-1'), task(3, 'worker-2'), task(4, 'worker-3'), task(5, 'worker-4'), task(6, 'quitter', 'failed')];
const resources = [
  lock(10, 'db', 3, [2, 4]),
  resource(11, 'event', 'ready', { value: 0 }),
  resource(12, 'event', 'go', { value: 1 }),
  resource(13, 'semaphore', 'pool', { value: 0 }),
  resource(14, 'queue', 'jobs', { size: 0, maxsize: 0 }),
  resource(15, 'condition', 'cv'),
];
const ctx = describeContext(10_000, tasks, resources);
const say = (a: Await) => describeAwait(a, ctx);

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [-5, '0 ms'],
    [849.6, '850 ms'],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [7250, '7.2 s'],
    [9999, '9.9 s'], // never "10.0 s": the next unit starts at 10
    [10_000, '10 s'],
    [59_999, '59 s'],
    [60_000, '1 min 0 s'],
    [185_000, '3 min 5 s'],
    [7_440_000, '2 h 4 min'],
    [Infinity, '∞'],
  ])('%s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [102, '102nd'],
    [111, '111th'],
  ])('%s → %s', (n, text) => expect(ordinal(n)).toBe(text));
});

describe('describeAwait', () => {
  it('sleep: its length and the time left', () => {
    expect(say({ kind: 'sleep', deadline: 17_200, delay: 10_000 })).toBe('sleep 10 s, 7.2 s left');
    expect(say({ kind: 'sleep', deadline: 10_500 })).toBe('sleep, 500 ms left');
    expect(say({ kind: 'sleep', deadline: 9_000, delay: 1000 })).toBe('sleep 1.0 s, due now');
  });

  it('a task, by name, or by id when unknown', () => {
    expect(say({ kind: 'task', taskId: 3 })).toBe('task worker-2');
    expect(say({ kind: 'task', taskId: 99 })).toBe('task task #99');
  });

  it('futures and promises, with or without a label', () => {
    expect(say({ kind: 'future', futureId: 4, label: 'response' })).toBe('Future response');
    expect(say({ kind: 'future', futureId: 4 })).toBe('Future #4');
    expect(say({ kind: 'promise', label: 'fetch' })).toBe('Promise fetch');
    expect(say({ kind: 'promise', label: '' })).toBe('Promise');
  });

  it('groups: how many are pending, of how many when the runtime says, and which', () => {
    expect(say({ kind: 'gather', taskIds: [2, 3, 4], total: 5 })).toBe('gather: 3 of 5 pending (worker-1, worker-2, worker-3)');
    // None finished yet: "of 3" would say nothing more.
    expect(say({ kind: 'gather', taskIds: [2, 3, 4], total: 3 })).toBe('gather: 3 pending (worker-1, worker-2, worker-3)');
    expect(say({ kind: 'gather', taskIds: [2, 3, 4, 5] })).toBe('gather: 4 pending (worker-1, worker-2, worker-3 and 1 more)');
    expect(say({ kind: 'wait', taskIds: [2], futureIds: [7, 8], deadline: 12_000 })).toBe('wait: 3 pending (worker-1; 2 futures), timeout in 2.0 s');
    expect(say({ kind: 'taskGroup', taskIds: [] })).toBe('taskGroup: 0 pending');
    expect(say({ kind: 'asCompleted', taskIds: [], futureIds: [1] })).toBe('asCompleted: 1 pending (1 future)');
    expect(say({ kind: 'shield', taskIds: [3] })).toBe('shield around task worker-2');
    // A total smaller than what is pending is a lie: it is not shown.
    expect(say({ kind: 'gather', taskIds: [2, 3], total: 1 })).toBe('gather: 2 pending (worker-1, worker-2)');
  });

  it('Lock: the holder, from the await or from the resource, and the place in line', () => {
    expect(say({ kind: 'lock', resourceId: 10, holderId: 3, position: 1 })).toBe('Lock db held by worker-2 (2nd in line)');
    expect(say({ kind: 'lock', resourceId: 10 })).toBe('Lock db held by worker-2');
    expect(say({ kind: 'lock', resourceId: 10, holderId: 6, position: 0 })).toBe('Lock db held by quitter, which has failed (1st in line)');
    expect(say({ kind: 'lock', resourceId: 77, position: 0 })).toBe('Lock Lock#77 (free, 1st in line)');
  });

  it('Event, Condition, Semaphore', () => {
    expect(say({ kind: 'event', resourceId: 11 })).toBe('Event ready (not set)');
    expect(say({ kind: 'event', resourceId: 12 })).toBe('Event go (set)');
    expect(say({ kind: 'event', resourceId: 50 })).toBe('Event Event#50');
    expect(say({ kind: 'condition', resourceId: 15, position: 2 })).toBe('Condition cv (waiting for notify, 3rd in line)');
    expect(say({ kind: 'semaphore', resourceId: 13 })).toBe('Semaphore pool (0 left)');
    expect(say({ kind: 'semaphore', resourceId: 13, position: 0 })).toBe('Semaphore pool (0 left, 1st in line)');
  });

  it('Queue: empty, full, partly full, unbounded, join', () => {
    expect(say({ kind: 'queue.get', resourceId: 14, size: 0, maxsize: 0 })).toBe('Queue.get on jobs (empty)');
    expect(say({ kind: 'queue.put', resourceId: 16, size: 10, maxsize: 10 })).toBe('Queue.put on Queue#16 (full, 10/10)');
    expect(say({ kind: 'queue.put', resourceId: 14, size: 3, maxsize: 10 })).toBe('Queue.put on jobs (3/10)');
    expect(say({ kind: 'queue.get', resourceId: 14, size: 1, maxsize: 0 })).toBe('Queue.get on jobs (1 item)');
  });

  it('Queue.join: the unfinished items it waits for (an empty queue can still have one), not the items in it', () => {
    expect(say({ kind: 'queue.join', resourceId: 14, size: 0, maxsize: 5, unfinished: 1 })).toBe('Queue.join on jobs: 1 unfinished');
    expect(say({ kind: 'queue.join', resourceId: 14, size: 4, maxsize: 5, unfinished: 6 })).toBe('Queue.join on jobs: 6 unfinished');
    // An older runtime sends no count: nothing is made up.
    expect(say({ kind: 'queue.join', resourceId: 14, size: 4, maxsize: 5 })).toBe('Queue.join on jobs');
  });

  it('a kind from a newer runtime is named, not a crash', () => {
    expect(say({ kind: 'channel.recv', resourceId: 1 } as unknown as Await)).toBe('channel.recv');
  });
});

describe('describeError / describeState / describeTask', () => {
  it('errors: name and the first line of the message', () => {
    expect(describeError({ name: 'TypeError', message: 'boom\n  more' })).toBe('TypeError: boom');
    expect(describeError({ name: 'CancelledError', message: '' })).toBe('CancelledError');
    expect(describeError({ name: '', message: 'x' })).toBe('Error: x');
  });

  it('states with what qualifies them', () => {
    expect(describeState(task(1, 'a', 'suspended'))).toBe('suspended');
    expect(describeState(task(1, 'a', 'suspended', { cancelling: 1 }))).toBe('suspended, cancelling');
    expect(describeState(task(1, 'a', 'done', { result: '42' }))).toBe('done → 42');
    expect(describeState(task(1, 'a', 'done'))).toBe('done');
    expect(describeState(task(1, 'a', 'failed', { error: { name: 'RangeError', message: 'bad' } }))).toBe('failed: RangeError: bad');
    expect(describeState(task(1, 'a', 'cancelled', { cancelMessage: 'shutdown' }))).toBe('cancelled ("shutdown")');
    expect(describeState(task(1, 'a', 'cancelled', { cancelling: 1 }))).toBe('cancelled');
  });

  it('who cancelled a task: named with a context, numbered without, "itself" for its own cancel()', () => {
    expect(describeState(task(2, 'worker-1', 'cancelled', { cancelledBy: 1, cancelMessage: 'enough' }), ctx)).toBe('cancelled by main ("enough")');
    expect(describeState(task(2, 'worker-1', 'cancelled', { cancelledBy: 1 }))).toBe('cancelled by task #1');
    expect(describeState(task(2, 'worker-1', 'cancelled', { cancelledBy: 2 }), ctx)).toBe('cancelled by itself');
    expect(describeState(task(2, 'worker-1', 'suspended', { cancelling: 1, cancelledBy: 1 }), ctx)).toBe('suspended, cancelling (by main)');
    expect(describeTask(task(3, 'worker-2', 'cancelled', { cancelledBy: 1 }), ctx)).toBe('worker-2 #3 cancelled by main');
  });

  it('one line per task: name, id, state, how long, where, what it awaits', () => {
    const t = waiting(2, 'worker-1', { kind: 'lock', resourceId: 10, holderId: 3, position: 0 }, { since: 6_800, location: { file: '/x/crawler.ts', line: 41, column: 5, function: 'work' } });
    expect(describeTask(t, ctx)).toBe('worker-1 #2 suspended 3.2 s at crawler.ts:41: Lock db held by worker-2 (1st in line)');
    expect(describeTask(task(7, 'fetch', 'failed', { error: { name: 'TypeError', message: 'boom' }, location: { file: 'a.ts', line: 1, column: 1, function: '' } }), ctx)).toBe(
      'fetch #7 failed: TypeError: boom',
    );
    expect(describeTask(task(8, 'r', 'running', { since: 10_000 }), ctx)).toBe('r #8 running');
  });

  it('shortLocation works for both separators', () => {
    expect(shortLocation({ file: 'C:\\src\\a.ts', line: 3 })).toBe('a.ts:3');
    expect(shortLocation(undefined)).toBe('');
  });
});
