/** Conformance cases for the combinators, TypeScript side (twins in cases_combinators.py). */
import {
  createTask,
  currentTask,
  sleep,
  gather,
  wait,
  waitFor,
  timeout,
  shield,
  asCompleted,
  taskGroup,
  getRunningLoop,
  CancelledError,
  TimeoutError,
  ExceptionGroup,
  RuntimeError,
  type Coroutine,
  type Timeout,
  type TaskGroup,
  type Task,
  type ReturnWhen,
} from 'loopscope';
import { Boom, ename, fmt, names, type Case, type Log } from './harness';
import { py } from './cases';

function* job(log: Log, name: string, ticks: number, result?: unknown, fail = false): Coroutine<unknown> {
  try {
    yield* sleep(ticks);
  } catch (e) {
    if (e instanceof CancelledError) log(name, 'cancelled at', log.now());
    throw e;
  }
  if (fail) {
    log(name, 'fails at', log.now());
    throw new Boom(name);
  }
  log(name, 'done at', log.now());
  return result ?? name;
}

const failing = (log: Log, name: string, ticks: number) => job(log, name, ticks, undefined, true);

function catchOnly<E extends Error>(e: unknown, cls: abstract new (...args: never[]) => E): E {
  if (!(e instanceof cls)) throw e;
  return e;
}

export const combinatorCases: Record<string, Case> = {
  // ---------------------------------------------------------------- gather
  *gather_results_in_argument_order(log) {
    const r = yield* gather([job(log, 'slow', 3), job(log, 'fast', 1), job(log, 'mid', 2)]);
    log('results', fmt(r));
  },

  *gather_first_exception_fails_fast(log) {
    const g = gather([job(log, 'a', 3), failing(log, 'b', 1), job(log, 'c', 2)]);
    try {
      yield* g;
    } catch (e) {
      log('gather failed with', fmt(catchOnly(e, Boom)), 'at', log.now());
    }
    yield* sleep(5);
    log('end');
  },

  *gather_return_exceptions(log) {
    const r = yield* gather([job(log, 'a', 1), failing(log, 'b', 2)], { returnExceptions: true });
    log('results', fmt(r));
  },

  *gather_cancel_outer_cancels_children(log) {
    const g = gather([job(log, 'a', 5), job(log, 'b', 5)]);
    yield* sleep(1);
    log('cancel ->', py(g.cancel('enough')));
    try {
      yield* g;
    } catch (e) {
      log('gather', fmt(catchOnly(e, CancelledError)));
    }
    log('cancelled', py(g.cancelled()));
  },

  *gather_child_cancelled(log) {
    const t = createTask(job(log, 'victim', 5));
    const g = gather([t, job(log, 'other', 2)]);
    yield* sleep(1);
    t.cancel();
    try {
      yield* g;
    } catch (e) {
      log('gather raised', ename(catchOnly(e, CancelledError)), 'at', log.now());
    }
    yield* sleep(2);
  },

  *gather_child_cancelled_return_exceptions(log) {
    const t = createTask(job(log, 'victim', 5));
    const g = gather([t, job(log, 'other', 2)], { returnExceptions: true });
    yield* sleep(1);
    t.cancel('bye');
    log('results', fmt(yield* g));
  },

  *gather_empty(log) {
    log('empty', fmt(yield* gather([])));
  },

  *gather_same_task_twice(log) {
    const t = createTask(job(log, 'once', 1));
    log('results', fmt(yield* gather([t, t])));
  },

  *gather_already_done_futures(log) {
    const loop = getRunningLoop();
    const f1 = loop.createFuture<number>();
    f1.setResult(1);
    const f2 = loop.createFuture<number>();
    f2.setResult(2);
    const g = gather([f1, f2]);
    log('done immediately', py(g.done()));
    log('results', fmt(yield* g));
  },

  // ---------------------------------------------------------------- wait
  *wait_first_completed(log) {
    const ts = ([['a', 3], ['b', 1], ['c', 2]] as const).map(([n, t]) => createTask(job(log, n, t), { name: n }));
    const [done, pending] = yield* wait(ts, { returnWhen: 'FIRST_COMPLETED' });
    log('done', names(done), 'pending', names(pending), 'at', log.now());
    // Cancel in name order: a set's iteration order is arbitrary in CPython.
    for (const t of [...pending].sort((x, y) => (x as Task<unknown>).getName().localeCompare((y as Task<unknown>).getName()))) t.cancel();
    yield* wait(pending);
  },

  *wait_first_exception(log) {
    const ts = [
      createTask(job(log, 'a', 1), { name: 'a' }),
      createTask(failing(log, 'b', 2), { name: 'b' }),
      createTask(job(log, 'c', 3), { name: 'c' }),
    ];
    const [done, pending] = yield* wait(ts, { returnWhen: 'FIRST_EXCEPTION' });
    log('done', names(done), 'pending', names(pending), 'at', log.now());
    log('b exception', fmt(ts[1].exception()));
    yield* wait(pending);
  },

  *wait_all_completed_with_timeout(log) {
    const ts = ([['a', 1], ['b', 4]] as const).map(([n, t]) => createTask(job(log, n, t), { name: n }));
    const [done, pending] = yield* wait(ts, { timeout: 2 });
    log('done', names(done), 'pending', names(pending), 'at', log.now());
    log('b still running', py(!ts[1].done()));
    yield* ts[1];
  },

  *wait_rejects_bad_input(log) {
    try {
      yield* wait([]);
    } catch (e) {
      log('empty:', ename(catchOnly(e, RangeError)));
    }
    const coro = job(log, 'x', 1);
    try {
      yield* wait([coro as never]);
    } catch (e) {
      log('coroutine:', ename(catchOnly(e, TypeError)));
    }
    coro.return(undefined);
    const t = createTask(job(log, 'y', 1));
    try {
      yield* wait([t], { returnWhen: 'SOMETIMES' as ReturnWhen });
    } catch (e) {
      log('bad return_when:', ename(catchOnly(e, RangeError)));
    }
    yield* t;
  },

  // ---------------------------------------------------------------- waitFor
  *wait_for_in_time(log) {
    log('got', yield* waitFor(job(log, 'quick', 1), 3));
  },

  *wait_for_times_out_and_cancels(log) {
    try {
      yield* waitFor(job(log, 'slow', 5), 2);
    } catch (e) {
      const err = catchOnly(e, TimeoutError);
      log('timeout', ename(err), 'at', log.now(), 'cause', ename(err.cause));
    }
  },

  *wait_for_task_times_out(log) {
    const t = createTask(job(log, 'slow', 5));
    try {
      yield* waitFor(t, 1);
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timeout at', log.now());
    }
    yield* sleep(0);
    log('task cancelled', py(t.cancelled()));
  },

  *wait_for_zero_timeout(log) {
    const t = createTask(job(log, 'never started', 1));
    try {
      yield* waitFor(t, 0);
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timeout at', log.now(), 'cancelled', py(t.cancelled()));
    }
    const f = getRunningLoop().createFuture<string>();
    f.setResult('done already');
    log('done future:', yield* waitFor(f, 0));
  },

  *wait_for_none_waits(log) {
    log('got', yield* waitFor(job(log, 'long', 4), null));
  },

  *wait_for_outer_cancel_is_not_timeout(log) {
    function* waiter(): Coroutine<void> {
      try {
        yield* waitFor(job(log, 'inner', 10), 5);
      } catch (e) {
        if (e instanceof CancelledError) log('waiter cancelled (not a timeout) at', log.now());
        throw e;
      }
    }
    const t = createTask(waiter());
    yield* sleep(1);
    t.cancel();
    try {
      yield* t;
    } catch (e) {
      catchOnly(e, CancelledError);
      log('cancelled', py(t.cancelled()));
    }
  },

  // ---------------------------------------------------------------- timeout
  *timeout_expires(log) {
    let cm!: Timeout;
    try {
      yield* timeout(2, function* (t) {
        cm = t;
        yield* job(log, 'body', 5);
      });
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timeout at', log.now(), 'expired', py(cm.expired()));
    }
  },

  *timeout_not_reached(log) {
    let cm!: Timeout;
    const r = yield* timeout(5, function* (t) {
      cm = t;
      return yield* job(log, 'body', 1);
    });
    log('result', r, 'expired', py(cm.expired()));
  },

  *timeout_reschedule_later(log) {
    try {
      yield* timeout(2, function* (cm) {
        cm.reschedule(getRunningLoop().time() + 4);
        yield* job(log, 'body', 6);
      });
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timeout at', log.now());
    }
  },

  *timeout_none_then_reschedule(log) {
    try {
      yield* timeout(null, function* (cm) {
        log('when', cm.when() === null ? 'None' : cm.when());
        cm.reschedule(getRunningLoop().time() + 1);
        yield* job(log, 'body', 3);
      });
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timeout at', log.now());
    }
  },

  *timeout_nested_inner_fires(log) {
    try {
      yield* timeout(5, function* () {
        try {
          yield* timeout(1, function* () {
            yield* job(log, 'inner body', 3);
          });
        } catch (e) {
          catchOnly(e, TimeoutError);
          log('inner timeout at', log.now());
        }
        yield* job(log, 'outer body', 10);
      });
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('outer timeout at', log.now());
    }
  },

  *timeout_body_error_passes_through(log) {
    try {
      yield* timeout(5, function* () {
        yield* failing(log, 'body', 1);
      });
    } catch (e) {
      log('got', fmt(catchOnly(e, Boom)));
    }
  },

  *timeout_catching_cancel_inside(log) {
    let cm!: Timeout;
    yield* timeout(1, function* (t) {
      cm = t;
      try {
        yield* job(log, 'body', 3);
      } catch (e) {
        catchOnly(e, CancelledError);
        log('body swallowed the cancellation');
      }
    });
    log('expired', py(cm.expired()), 'at', log.now());
  },

  // ---------------------------------------------------------------- shield
  *shield_protects_inner(log) {
    const inner = createTask(job(log, 'inner', 3));
    function* waiter(): Coroutine<unknown> {
      try {
        return yield* shield(inner);
      } catch (e) {
        if (e instanceof CancelledError) log('waiter cancelled at', log.now());
        throw e;
      }
    }
    const w = createTask(waiter());
    yield* sleep(1);
    w.cancel();
    yield* gather([w], { returnExceptions: true });
    log('inner result', yield* inner, 'cancelled', py(inner.cancelled()));
  },

  *shield_passes_result_and_error(log) {
    log('result', yield* shield(job(log, 'ok', 1)));
    try {
      yield* shield(failing(log, 'bad', 1));
    } catch (e) {
      log('error', fmt(catchOnly(e, Boom)));
    }
  },

  *shield_inner_cancelled(log) {
    const inner = createTask(job(log, 'inner', 3));
    const outer = shield(inner);
    yield* sleep(1);
    inner.cancel();
    try {
      yield* outer;
    } catch (e) {
      catchOnly(e, CancelledError);
      log('outer cancelled', py(outer.cancelled()));
    }
  },

  // ---------------------------------------------------------------- asCompleted
  *as_completed_order(log) {
    const aws = ([['c', 3], ['a', 1], ['b', 2]] as const).map(([n, t]) => job(log, n, t));
    for (const next of asCompleted(aws)) log('next:', yield* next);
  },

  *as_completed_error_in_order(log) {
    for (const next of asCompleted([job(log, 'ok', 2), failing(log, 'bad', 1)])) {
      try {
        log('next:', yield* next);
      } catch (e) {
        log('next raised', fmt(catchOnly(e, Boom)));
      }
    }
  },

  *as_completed_timeout(log) {
    const ts = ([['fast', 1], ['slow', 5]] as const).map(([n, t]) => createTask(job(log, n, t)));
    try {
      for (const next of asCompleted(ts, { timeout: 2 })) log('next:', yield* next);
    } catch (e) {
      catchOnly(e, TimeoutError);
      log('timed out at', log.now());
    }
    yield* ts[1];
  },

  // ---------------------------------------------------------------- taskGroup
  *taskgroup_all_succeed(log) {
    let ts: Task<unknown>[] = [];
    yield* taskGroup(function* (tg) {
      ts = ([['a', 2], ['b', 1]] as const).map(([n, t]) => tg.createTask(job(log, n, t)));
      log('body done at', log.now());
    });
    log('group done at', log.now(), 'results', fmt(ts.map((t) => t.result())));
  },

  *taskgroup_child_fails_cancels_siblings(log) {
    function* holder(name: string): Coroutine<void> {
      try {
        yield* sleep(10);
      } finally {
        log(name, 'cleanup starts');
        yield* sleep(1);
        log(name, 'cleanup ends at', log.now());
      }
    }
    try {
      yield* taskGroup(function* (tg) {
        // One holder: TaskGroup cancels its tasks in the (arbitrary) order of a set.
        tg.createTask(holder('h1'));
        tg.createTask(failing(log, 'failer', 2));
        yield* sleep(20);
        log('body not reached');
      });
    } catch (e) {
      log('group error', fmt(catchOnly(e, ExceptionGroup)), 'at', log.now());
    }
    log('after group, cancelling', currentTask()!.cancelling());
  },

  *taskgroup_two_children_fail(log) {
    try {
      yield* taskGroup(function* (tg) {
        tg.createTask(failing(log, 'x', 1));
        tg.createTask(failing(log, 'y', 1));
        tg.createTask(job(log, 'z', 3));
      });
    } catch (e) {
      log('group error', fmt(catchOnly(e, ExceptionGroup)));
    }
  },

  *taskgroup_body_raises(log) {
    try {
      yield* taskGroup(function* (tg) {
        tg.createTask(job(log, 'child', 3));
        yield* sleep(1);
        throw new Boom('body');
      });
    } catch (e) {
      log('group error', fmt(catchOnly(e, ExceptionGroup)), 'at', log.now());
    }
  },

  *taskgroup_parent_cancelled(log) {
    function* parent(): Coroutine<void> {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(job(log, 'child', 5));
          yield* sleep(10);
        });
      } catch (e) {
        if (e instanceof CancelledError) log('parent sees CancelledError at', log.now());
        throw e;
      }
    }
    const p = createTask(parent());
    yield* sleep(1);
    p.cancel();
    yield* gather([p], { returnExceptions: true });
    log('parent cancelled', py(p.cancelled()));
  },

  *taskgroup_create_task_after_exit(log) {
    let group!: TaskGroup;
    // eslint-disable-next-line require-yield
    yield* taskGroup(function* (tg) {
      group = tg;
    });
    const coro = job(log, 'late', 1);
    try {
      group.createTask(coro);
    } catch (e) {
      log('late create_task:', ename(catchOnly(e, RuntimeError)));
    }
    coro.return(undefined);
  },

  *taskgroup_nested_failure(log) {
    function* innerGroup(): Coroutine<void> {
      yield* taskGroup(function* (tg) {
        tg.createTask(failing(log, 'deep', 1));
        tg.createTask(job(log, 'deep sibling', 4));
      });
    }
    try {
      yield* taskGroup(function* (tg) {
        tg.createTask(innerGroup());
        tg.createTask(job(log, 'outer sibling', 4));
      });
    } catch (e) {
      log('group error', fmt(catchOnly(e, ExceptionGroup)));
    }
  },

  *taskgroup_child_catches_cancel(log) {
    function* stubborn(): Coroutine<string> {
      try {
        yield* sleep(5);
      } catch (e) {
        catchOnly(e, CancelledError);
        log('stubborn refuses at', log.now());
      }
      yield* sleep(1);
      log('stubborn finishes at', log.now());
      return 'done anyway';
    }
    let s!: Task<string>;
    try {
      yield* taskGroup(function* (tg) {
        s = tg.createTask(stubborn());
        tg.createTask(failing(log, 'failer', 1));
      });
    } catch (e) {
      log('group error', fmt(catchOnly(e, ExceptionGroup)), 'stubborn result', s.result());
    }
  },
};
