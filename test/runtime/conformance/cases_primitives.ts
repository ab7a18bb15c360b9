/** Conformance cases for the synchronization primitives, TypeScript side (twins in cases_primitives.py). */
import {
  createTask,
  sleep,
  gather,
  Lock,
  Event,
  Condition,
  Semaphore,
  BoundedSemaphore,
  Queue,
  PriorityQueue,
  LifoQueue,
  CancelledError,
  RuntimeError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  type Coroutine,
} from 'loopscope';
import { ename, fmt, type Case } from './harness';
import { py } from './cases';

function catchOnly<E extends Error>(e: unknown, cls: abstract new (...args: never[]) => E): E {
  if (!(e instanceof cls)) throw e;
  return e;
}

export const primitiveCases: Record<string, Case> = {
  // ---------------------------------------------------------------- Lock
  *lock_fifo_handoff(log) {
    const lock = new Lock();
    function* worker(name: string): Coroutine<void> {
      yield* lock.with(function* () {
        log(name, 'holds the lock at', log.now());
        yield* sleep(1);
      });
      log(name, 'released');
    }
    yield* gather([worker('a'), worker('b'), worker('c')]);
    log('locked', py(lock.locked()));
  },

  // eslint-disable-next-line require-yield
  *lock_release_unlocked_is_error(log) {
    const lock = new Lock();
    try {
      lock.release();
    } catch (e) {
      log('release:', fmt(catchOnly(e, RuntimeError)));
    }
  },

  *lock_cancelled_waiter_passes_turn(log) {
    const lock = new Lock();
    yield* lock.acquire();
    function* waiter(name: string): Coroutine<void> {
      try {
        yield* lock.acquire();
      } catch (e) {
        if (e instanceof CancelledError) log(name, 'cancelled while waiting');
        throw e;
      }
      log(name, 'acquired at', log.now());
      lock.release();
    }
    const a = createTask(waiter('a'));
    const b = createTask(waiter('b'));
    yield* sleep(1);
    a.cancel();
    lock.release();
    yield* gather([a, b], { returnExceptions: true });
    log('locked', py(lock.locked()));
  },

  *lock_no_queue_jumping(log) {
    const lock = new Lock();
    yield* lock.acquire();
    function* waiter(): Coroutine<void> {
      yield* lock.acquire();
      log('waiter acquired');
      lock.release();
    }
    function* jumper(): Coroutine<void> {
      yield* lock.acquire();
      log('jumper acquired');
      lock.release();
    }
    const w = createTask(waiter());
    yield* sleep(0);
    lock.release();
    const j = createTask(jumper());
    yield* gather([w, j]);
  },

  *lock_cancel_after_wakeup(log) {
    const lock = new Lock();
    yield* lock.acquire();
    function* waiter(name: string): Coroutine<void> {
      try {
        yield* lock.acquire();
      } catch (e) {
        if (e instanceof CancelledError) log(name, 'cancelled after being woken');
        throw e;
      }
      log(name, 'acquired');
      lock.release();
    }
    const a = createTask(waiter('a'));
    const b = createTask(waiter('b'));
    yield* sleep(0);
    lock.release();
    a.cancel();
    yield* gather([a, b], { returnExceptions: true });
    log('locked', py(lock.locked()));
  },

  // ---------------------------------------------------------------- Event
  *event_wakes_all_waiters_in_order(log) {
    const ev = new Event();
    function* waiter(name: string): Coroutine<void> {
      log(name, 'waits');
      const r = yield* ev.wait();
      log(name, 'woke with', py(r), 'at', log.now());
    }
    const ts = ['a', 'b', 'c'].map((n) => createTask(waiter(n)));
    yield* sleep(2);
    log('is_set', py(ev.isSet()));
    ev.set();
    log('set; is_set', py(ev.isSet()));
    yield* gather(ts);
  },

  *event_wait_after_set_returns_at_once(log) {
    const ev = new Event();
    ev.set();
    // eslint-disable-next-line require-yield
    function* other(): Coroutine<void> {
      log('other runs');
    }
    createTask(other());
    log('wait ->', py(yield* ev.wait()));
    ev.clear();
    log('cleared; is_set', py(ev.isSet()));
    yield* sleep(0);
  },

  *event_cancelled_waiter(log) {
    const ev = new Event();
    const t = createTask(ev.wait());
    yield* sleep(0);
    t.cancel();
    yield* gather([t], { returnExceptions: true });
    ev.set();
    log('cancelled', py(t.cancelled()), 'waiters left', ev._waiters.length);
  },

  // ---------------------------------------------------------------- Condition
  *condition_notify_one_at_a_time(log) {
    const cond = new Condition();
    function* consumer(name: string): Coroutine<void> {
      yield* cond.with(function* () {
        log(name, 'waits');
        yield* cond.wait();
        log(name, 'notified at', log.now());
      });
    }
    const ts = ['a', 'b', 'c'].map((n) => createTask(consumer(n)));
    yield* sleep(1);
    for (let i = 0; i < 3; i++) {
      // eslint-disable-next-line require-yield
      yield* cond.with(function* () {
        cond.notify(1);
      });
      yield* sleep(1);
    }
    yield* gather(ts);
  },

  *condition_notify_all(log) {
    const cond = new Condition();
    function* consumer(name: string): Coroutine<void> {
      yield* cond.with(function* () {
        yield* cond.wait();
        log(name, 'notified, holds lock', py(cond.locked()));
      });
    }
    const ts = ['a', 'b'].map((n) => createTask(consumer(n)));
    yield* sleep(1);
    // eslint-disable-next-line require-yield
    yield* cond.with(function* () {
      cond.notifyAll();
      log('notified all while holding the lock');
    });
    yield* gather(ts);
  },

  *condition_wait_for_predicate(log) {
    const cond = new Condition();
    const state = { n: 0 };
    function* waiter(): Coroutine<void> {
      yield* cond.with(function* () {
        const r = yield* cond.waitFor(() => state.n >= 3);
        log('predicate true with n =', state.n, '->', py(r));
      });
    }
    const t = createTask(waiter());
    for (let i = 0; i < 3; i++) {
      yield* sleep(1);
      // eslint-disable-next-line require-yield
      yield* cond.with(function* () {
        state.n += 1;
        log('n =', state.n);
        cond.notify();
      });
    }
    yield* t;
  },

  *condition_errors_without_lock(log) {
    const cond = new Condition();
    try {
      cond.notify();
    } catch (e) {
      log('notify:', fmt(catchOnly(e, RuntimeError)));
    }
    try {
      yield* cond.wait();
    } catch (e) {
      log('wait:', fmt(catchOnly(e, RuntimeError)));
    }
  },

  *condition_cancelled_wait_reacquires(log) {
    const cond = new Condition();
    function* waiter(): Coroutine<void> {
      yield* cond.with(function* () {
        try {
          yield* cond.wait();
        } catch (e) {
          if (e instanceof CancelledError) log('cancelled; holds lock', py(cond.locked()));
          throw e;
        }
      });
    }
    const t = createTask(waiter());
    yield* sleep(1);
    t.cancel();
    yield* gather([t], { returnExceptions: true });
    log('after: locked', py(cond.locked()));
  },

  *condition_shared_lock(log) {
    const lock = new Lock();
    const cond = new Condition(lock);
    // eslint-disable-next-line require-yield
    yield* lock.with(function* () {
      log('cond locked via lock', py(cond.locked()));
    });
    log('after', py(cond.locked()));
  },

  // ---------------------------------------------------------------- Semaphore
  *semaphore_limits_concurrency(log) {
    const sem = new Semaphore(2);
    function* worker(name: string): Coroutine<void> {
      yield* sem.with(function* () {
        log(name, 'in at', log.now());
        yield* sleep(2);
      });
      log(name, 'out at', log.now());
    }
    yield* gather(['a', 'b', 'c', 'd', 'e'].map((n) => worker(n)));
  },

  *semaphore_fifo_no_overtaking(log) {
    const sem = new Semaphore(1);
    yield* sem.acquire();
    function* waiter(name: string): Coroutine<void> {
      yield* sem.acquire();
      log(name, 'acquired');
      sem.release();
    }
    const a = createTask(waiter('a'));
    yield* sleep(0);
    sem.release();
    log('locked after release', py(sem.locked()));
    const b = createTask(waiter('b'));
    yield* gather([a, b]);
  },

  *semaphore_cancel_after_wakeup_returns_slot(log) {
    const sem = new Semaphore(0);
    function* waiter(name: string): Coroutine<void> {
      try {
        yield* sem.acquire();
      } catch (e) {
        if (e instanceof CancelledError) log(name, 'cancelled');
        throw e;
      }
      log(name, 'acquired');
    }
    const a = createTask(waiter('a'));
    const b = createTask(waiter('b'));
    yield* sleep(0);
    sem.release();
    a.cancel();
    yield* gather([a, b], { returnExceptions: true });
    log('value', sem._value, 'locked', py(sem.locked()));
  },

  *semaphore_bad_values(log) {
    try {
      new Semaphore(-1);
    } catch (e) {
      log('negative:', ename(catchOnly(e, RangeError)));
    }
    const b = new BoundedSemaphore(1);
    yield* b.acquire();
    b.release();
    try {
      b.release();
    } catch (e) {
      log('over-release:', fmt(catchOnly(e, RangeError)));
    }
  },

  // ---------------------------------------------------------------- Queue
  // eslint-disable-next-line require-yield
  *queue_fifo(log) {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putNowait(i);
    log('qsize', q.qsize(), 'empty', py(q.empty()), 'full', py(q.full()));
    log('got', fmt([0, 1, 2].map(() => q.getNowait())));
    try {
      q.getNowait();
    } catch (e) {
      log('get_nowait on empty:', ename(catchOnly(e, QueueEmpty)));
    }
  },

  *queue_bounded_backpressure(log) {
    const q = new Queue<number>(2);
    function* producer(): Coroutine<void> {
      for (let i = 0; i < 5; i++) {
        yield* q.put(i);
        log('put', i, 'at', log.now(), 'qsize', q.qsize());
      }
    }
    function* consumer(): Coroutine<void> {
      for (let i = 0; i < 5; i++) {
        yield* sleep(1);
        log('got', yield* q.get(), 'at', log.now());
      }
    }
    yield* gather([producer(), consumer()]);
    try {
      q.putNowait(1);
      q.putNowait(2);
      q.putNowait(3);
    } catch (e) {
      log('put_nowait on full:', ename(catchOnly(e, QueueFull)), 'qsize', q.qsize());
    }
  },

  *queue_getters_served_in_order(log) {
    const q = new Queue<number>();
    function* getter(name: string): Coroutine<void> {
      log(name, 'got', yield* q.get());
    }
    const ts = ['a', 'b', 'c'].map((n) => createTask(getter(n)));
    yield* sleep(0);
    for (let i = 0; i < 3; i++) q.putNowait(i);
    yield* gather(ts);
  },

  *queue_join_and_task_done(log) {
    const q = new Queue<number>();
    function* worker(): Coroutine<never> {
      for (;;) {
        const item = yield* q.get();
        yield* sleep(item);
        log('processed', item, 'at', log.now());
        q.taskDone();
      }
    }
    const w = createTask(worker());
    for (const i of [1, 2, 1]) q.putNowait(i);
    yield* q.join();
    log('joined at', log.now());
    w.cancel();
    try {
      q.taskDone();
    } catch (e) {
      log('extra task_done:', ename(catchOnly(e, RangeError)));
    }
  },

  *queue_join_when_nothing_put(log) {
    const q = new Queue();
    // eslint-disable-next-line require-yield
    function* other(): Coroutine<void> {
      log('other runs');
    }
    createTask(other());
    yield* q.join();
    log('joined without waiting');
    yield* sleep(0);
  },

  *queue_cancelled_getter_passes_item(log) {
    const q = new Queue<string>();
    function* getter(name: string): Coroutine<void> {
      try {
        log(name, 'got', yield* q.get());
      } catch (e) {
        if (e instanceof CancelledError) log(name, 'cancelled');
        throw e;
      }
    }
    const a = createTask(getter('a'));
    const b = createTask(getter('b'));
    yield* sleep(0);
    q.putNowait('item');
    a.cancel();
    yield* gather([a, b], { returnExceptions: true });
    log('qsize', q.qsize());
  },

  // eslint-disable-next-line require-yield
  *priority_queue_order(log) {
    const q = new PriorityQueue<[number, string]>();
    for (const item of [[3, 'c'], [1, 'a'], [2, 'b'], [1, 'a2']] as [number, string][]) q.putNowait(item);
    log('got', fmt([0, 1, 2, 3].map(() => q.getNowait())));
  },

  // eslint-disable-next-line require-yield
  *lifo_queue_order(log) {
    const q = new LifoQueue<number>();
    for (let i = 0; i < 4; i++) q.putNowait(i);
    log('got', fmt([0, 1, 2, 3].map(() => q.getNowait())));
  },

  *queue_shutdown_wakes_getters(log) {
    const q = new Queue();
    function* getter(name: string): Coroutine<void> {
      try {
        yield* q.get();
      } catch (e) {
        log(name, 'sees', ename(catchOnly(e, QueueShutDown)), 'at', log.now());
      }
    }
    const ts = ['a', 'b'].map((n) => createTask(getter(n)));
    yield* sleep(1);
    q.shutdown();
    yield* gather(ts);
    try {
      q.putNowait(1);
    } catch (e) {
      log('put after shutdown:', ename(catchOnly(e, QueueShutDown)));
    }
  },

  *queue_shutdown_drains_then_raises(log) {
    const q = new Queue<string>();
    q.putNowait('left');
    q.shutdown();
    log('get', yield* q.get());
    try {
      yield* q.get();
    } catch (e) {
      log('then', ename(catchOnly(e, QueueShutDown)));
    }
  },

  *queue_shutdown_immediate_releases_join(log) {
    const q = new Queue<number>();
    for (let i = 0; i < 3; i++) q.putNowait(i);
    function* joiner(): Coroutine<void> {
      yield* q.join();
      log('join returned at', log.now());
    }
    const j = createTask(joiner());
    yield* sleep(1);
    q.shutdown(true);
    log('qsize', q.qsize());
    yield* j;
  },

  *queue_putter_woken_by_get(log) {
    const q = new Queue<string>(1);
    q.putNowait('first');
    function* putter(): Coroutine<void> {
      yield* q.put('second');
      log('second put at', log.now());
    }
    const t = createTask(putter());
    yield* sleep(1);
    log('got', q.getNowait());
    yield* t;
    log('then got', q.getNowait());
  },
};
