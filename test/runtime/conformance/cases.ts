/**
 * Conformance cases, TypeScript side: each is the twin of the function of the same name in
 * cases.py, logging the same lines. CPython's logs are in golden.json.
 */
import {
  createTask,
  currentTask,
  allTasks,
  sleep,
  gather,
  getRunningLoop,
  CancelledError,
  InvalidStateError,
  type Coroutine,
  type Future,
} from 'loopscope';
import { Boom, ename, fmt, type Case } from './harness';

export const coreCases: Record<string, Case> = {
  *create_task_runs_after_creator_suspends(log) {
    function* child(): Coroutine<void> {
      log('child starts');
      yield* sleep(100);
      log('child ends');
    }
    log('creating');
    createTask(child());
    log('created');
    for (let i = 0; i < 3; i++) log(i);
  },

  *sleep0_round_robin(log) {
    function* worker(name: string): Coroutine<void> {
      for (let i = 0; i < 3; i++) {
        log(name, i);
        yield* sleep(0);
      }
    }
    yield* gather([worker('a'), worker('b'), worker('c')]);
  },

  *equal_deadlines_fire_in_creation_order(log) {
    function* sleeper(name: string, ticks: number): Coroutine<void> {
      yield* sleep(ticks);
      log(name, 'woke at', log.now());
    }
    const tasks = ([['x', 2], ['y', 1], ['z', 2], ['w', 1]] as const).map(([n, t]) => createTask(sleeper(n, t)));
    for (const t of tasks) yield* t;
  },

  *await_task_result(log) {
    function* compute(): Coroutine<number> {
      yield* sleep(1);
      return 42;
    }
    const t = createTask(compute());
    log('result', yield* t);
    log('done', py(t.done()), 'cancelled', py(t.cancelled()), 'result()', t.result());
    return 'ok';
  },

  *await_task_exception(log) {
    function* bad(): Coroutine<void> {
      yield* sleep(1);
      throw new Boom('bad');
    }
    const t = createTask(bad());
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof Boom)) throw e;
      log('caught', fmt(e));
    }
    log('exception()', fmt(t.exception()));
  },

  *cancel_before_first_step(log) {
    // eslint-disable-next-line require-yield
    function* never(): Coroutine<void> {
      log('body ran');
    }
    const t = createTask(never());
    log('cancel ->', py(t.cancel()));
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log('caught', fmt(e));
    }
    log('cancelled', py(t.cancelled()));
  },

  *cancel_with_message_at_sleep(log) {
    function* sleeper(): Coroutine<void> {
      try {
        yield* sleep(10);
      } catch (e) {
        log('sleeper got', fmt(e));
        throw e;
      }
    }
    const t = createTask(sleeper());
    yield* sleep(1);
    t.cancel('stop now');
    try {
      yield* t;
    } catch (e) {
      log('awaiter got', fmt(e));
    }
    log('cancelled', py(t.cancelled()));
  },

  *cancel_caught_and_carried_on(log) {
    function* stubborn(): Coroutine<string> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log('caught at', log.now(), 'cancelling', currentTask()!.cancelling());
      }
      yield* sleep(1);
      return 'survived';
    }
    const t = createTask(stubborn());
    yield* sleep(1);
    t.cancel();
    const r = yield* t;
    log('result', r, 'cancelled', py(t.cancelled()), 'cancelling', t.cancelling());
  },

  *cancelling_and_uncancel_count(log) {
    function* sleeper(): Coroutine<string | undefined> {
      try {
        yield* sleep(10);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        const task = currentTask()!;
        log('cancelling', task.cancelling());
        log('uncancel ->', task.uncancel());
        log('uncancel ->', task.uncancel());
        return 'uncancelled';
      }
      return undefined;
    }
    const t = createTask(sleeper());
    yield* sleep(1);
    log('cancel ->', py(t.cancel()));
    log('cancel ->', py(t.cancel()));
    log('cancelling', t.cancelling());
    log('result', yield* t);
  },

  *cancel_done_task_returns_false(log) {
    // eslint-disable-next-line require-yield
    function* quick(): Coroutine<number> {
      return 1;
    }
    const t = createTask(quick());
    yield* t;
    log('cancel ->', py(t.cancel()), 'cancelled', py(t.cancelled()));
  },

  *cancel_propagates_to_awaited_task(log) {
    function* inner(): Coroutine<void> {
      try {
        yield* sleep(10);
      } catch (e) {
        log('inner cancelled');
        throw e;
      }
    }
    function* outer(t: Future<void>): Coroutine<void> {
      try {
        yield* t;
      } catch (e) {
        log('outer cancelled');
        throw e;
      }
    }
    const ti = createTask(inner());
    const to = createTask(outer(ti));
    yield* sleep(1);
    to.cancel();
    yield* sleep(0);
    yield* sleep(0);
    yield* sleep(0);
    log('inner', py(ti.cancelled()), 'outer', py(to.cancelled()));
  },

  *cancel_self_raises_at_next_suspension(log) {
    const task = currentTask()!;
    task.cancel();
    log('still running');
    try {
      yield* sleep(0);
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      log('cancelled at the sleep');
    }
    log('uncancel ->', task.uncancel());
    return 'after';
  },

  *cancel_ready_task_woken_by_future(log) {
    const fut = getRunningLoop().createFuture<string>();
    function* waiter(): Coroutine<void> {
      try {
        const r = yield* fut;
        log('got', r);
      } catch (e) {
        log('cancelled instead');
        throw e;
      }
    }
    const t = createTask(waiter());
    yield* sleep(0);
    fut.setResult('value');
    t.cancel();
    yield* gather([t], { returnExceptions: true });
    log('cancelled', py(t.cancelled()));
  },

  *done_callbacks_are_scheduled_not_called(log) {
    const fut = getRunningLoop().createFuture<number>();
    fut.addDoneCallback((f) => log('cb1', f.result()));
    fut.addDoneCallback((f) => log('cb2', f.result()));
    fut.setResult(7);
    log('after set_result');
    fut.addDoneCallback(() => log('cb3 late'));
    yield* sleep(0);
    log('after one iteration');
  },

  *remove_done_callback(log) {
    const fut = getRunningLoop().createFuture<null>();
    const cb = () => log('cb');
    fut.addDoneCallback(cb);
    fut.addDoneCallback(cb);
    log('removed', fut.removeDoneCallback(cb));
    fut.setResult(null);
    yield* sleep(0);
    log('end');
  },

  // eslint-disable-next-line require-yield
  *future_state_errors(log) {
    const loop = getRunningLoop();
    const fut = loop.createFuture<number>();
    for (const op of ['result', 'exception'] as const) {
      try {
        fut[op]();
      } catch (e) {
        if (!(e instanceof InvalidStateError)) throw e;
        log(op, 'on pending:', ename(e));
      }
    }
    fut.setResult(1);
    try {
      fut.setResult(2);
    } catch (e) {
      log('second set_result:', ename(e));
    }
    try {
      fut.setException(new Boom('x'));
    } catch (e) {
      log('set_exception after result:', ename(e));
    }
    const c = loop.createFuture();
    c.cancel('why');
    try {
      c.result();
    } catch (e) {
      log('result on cancelled:', fmt(e));
    }
    try {
      c.exception();
    } catch (e) {
      log('exception on cancelled:', fmt(e));
    }
    log('cancel again ->', py(c.cancel()));
  },

  *future_set_by_timer(log) {
    const loop = getRunningLoop();
    const fut = loop.createFuture<string>();
    loop.callLater(3, (v: string) => fut.setResult(v), 'late');
    log('waiting at', log.now());
    log('got', yield* fut, 'at', log.now());
  },

  *awaiting_a_done_future_does_not_suspend(log) {
    const fut = getRunningLoop().createFuture<string>();
    fut.setResult('ready');
    // eslint-disable-next-line require-yield
    function* other(): Coroutine<void> {
      log('other runs');
    }
    createTask(other());
    log('got', yield* fut);
    log('before yielding');
    yield* sleep(0);
    log('after yielding');
  },

  *nested_coroutines_run_inline(log) {
    // eslint-disable-next-line require-yield
    function* leaf(n: number): Coroutine<number> {
      log('leaf', n);
      return n * 2;
    }
    function* middle(): Coroutine<number> {
      const a = yield* leaf(1);
      const b = yield* leaf(2);
      return a + b;
    }
    // eslint-disable-next-line require-yield
    function* other(): Coroutine<void> {
      log('other runs');
    }
    createTask(other());
    log('middle ->', yield* middle());
    yield* sleep(0);
  },

  *call_soon_interleaves_with_tasks(log) {
    const loop = getRunningLoop();
    function* task(name: string): Coroutine<void> {
      log(name, 'step 1');
      yield* sleep(0);
      log(name, 'step 2');
    }
    createTask(task('t1'));
    loop.callSoon(log, 'callback A');
    createTask(task('t2'));
    loop.callSoon(log, 'callback B');
    yield* sleep(0);
    log('main resumed');
    yield* sleep(0);
    log('main resumed again');
  },

  *call_later_and_call_at_order(log) {
    const loop = getRunningLoop();
    const done = loop.createFuture<null>();
    const t0 = loop.time();
    loop.callLater(2, log, 'later 2');
    loop.callAt(t0 + 1, log, 'at 1');
    loop.callLater(1, log, 'later 1');
    const h = loop.callLater(1, log, 'cancelled timer');
    h.cancel();
    loop.callLater(3, () => done.setResult(null));
    yield* done;
    log('end at', log.now());
  },

  *current_task_and_all_tasks(log) {
    function* child(): Coroutine<void> {
      yield* sleep(1);
    }
    const me = currentTask();
    log('current is main', py(currentTask() === me && me !== null));
    const t = createTask(child());
    log('all tasks', allTasks().size);
    yield* t;
    log('all tasks', allTasks().size);
  },

  *sleep_returns_its_value(log) {
    log('got', yield* sleep(1, 'v'), yield* sleep(0, 'w'));
  },

  *run_cancels_leftover_tasks(log) {
    function* leftover(name: string): Coroutine<void> {
      try {
        yield* sleep(100);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(name, 'cancelled at shutdown');
        yield* sleep(0);
        log(name, 'cleanup done');
        throw e;
      }
    }
    // One leftover: asyncio cancels leftovers in the (unordered) order of a WeakSet.
    createTask(leftover('a'));
    yield* sleep(0);
    log('main returns');
    return 'main result';
  },

  *main_exception_propagates() {
    yield* sleep(1);
    throw new Boom('from main');
  },

  *task_waiting_on_cancelled_future(log) {
    const fut = getRunningLoop().createFuture();
    function* waiter(): Coroutine<string | undefined> {
      try {
        yield* fut;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log('waiter got', fmt(e));
        return 'handled';
      }
      return undefined;
    }
    const t = createTask(waiter());
    yield* sleep(0);
    fut.cancel('future cancelled');
    log('result', yield* t);
  },

  *exception_chain_through_awaits(log) {
    function* level3(): Coroutine<never> {
      yield* sleep(0);
      throw new Boom('deep');
    }
    function* level2(): Coroutine<never> {
      return yield* level3();
    }
    function* level1(): Coroutine<never> {
      try {
        return yield* level2();
      } finally {
        log('level1 finally');
      }
    }
    try {
      yield* createTask(level1());
    } catch (e) {
      if (!(e instanceof Boom)) throw e;
      log('caught', fmt(e));
    }
  },
};

/** Python's spelling of booleans, as str(True) prints. */
export function py(b: boolean): string {
  return b ? 'True' : 'False';
}
