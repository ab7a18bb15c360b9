/**
 * The runtime's fast paths keep asyncio's behaviour: sleep(0) is one shared, stateless iterator
 * (resumed with an internal token), coroutines are marked as driven instead of kept in a weak set,
 * and the loop reads the clock less often at iteration ends without holding Node's event loop longer.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather, allTasks, addInstrument, removeInstrument, CancelledError, type Coroutine, type Instrument, type Task } from 'loopscope';

let installed: Instrument | null = null;
afterEach(() => {
  if (installed) removeInstrument(installed);
  installed = null;
});

describe('sleep(0)', () => {
  it('gives up exactly one iteration each time, in every task at once', async () => {
    const log: string[] = [];
    function* worker(name: string): Coroutine<void> {
      for (let i = 0; i < 3; i++) {
        log.push(`${name}${i}`);
        yield* sleep(0);
      }
    }
    function* main(): Coroutine<void> {
      yield* gather([worker('a'), worker('b')]);
    }
    await run(main());
    expect(log).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('returns its value, and undefined without one', async () => {
    function* main(): Coroutine<unknown[]> {
      const a = yield* sleep(0, 'x');
      const b = yield* sleep(0);
      const c = yield* sleep(-5, 3);
      return [a, b, c];
    }
    expect(await run(main())).toEqual(['x', undefined, 3]);
  });

  it('can be the coroutine of several tasks at once (it has no state), each taking two steps', async () => {
    function* main(): Coroutine<number[]> {
      const shared = sleep(0);
      const tasks = [createTask(shared), createTask(shared), createTask(sleep(0))] as Task<unknown>[];
      yield* gather(tasks);
      return tasks.map((t) => t.steps());
    }
    expect(await run(main())).toEqual([2, 2, 2]);
  });

  it('delivers a cancellation at the yield*, which the coroutine may catch and carry on from', async () => {
    const log: string[] = [];
    function* victim(): Coroutine<string> {
      try {
        for (;;) yield* sleep(0);
      } catch (err) {
        log.push(err instanceof CancelledError ? 'cancelled' : 'other');
      }
      yield* sleep(0);
      return 'carried on';
    }
    function* main(): Coroutine<string> {
      const t = createTask(victim());
      yield* sleep(0);
      yield* sleep(0);
      t.cancel();
      return yield* t;
    }
    expect(await run(main())).toBe('carried on');
    expect(log).toEqual(['cancelled']);
  });

  it('calls suspending and resuming once each per sleep(0), also when a cancellation resumes it', async () => {
    const calls: string[] = [];
    installed = {
      suspending: (_t, awaited) => calls.push(`s:${awaited === null}`),
      resuming: (_t, awaited) => calls.push(`r:${awaited === null}`),
    };
    addInstrument(installed);
    function* sleeper(): Coroutine<void> {
      yield* sleep(0);
      yield* sleep(0);
    }
    function* main(): Coroutine<void> {
      yield* sleeper();
      const t = createTask(sleeper());
      yield* sleep(0); // t suspends in its first sleep(0)
      t.cancel();
      try {
        yield* t;
      } catch {
        // cancelled, as asked
      }
    }
    await run(main());
    // main's two, then main's sleep and t's first sleep interleaved, t resumed by the cancellation,
    // and main's wait on t (a future: awaited is not null).
    expect(calls.slice(0, 4)).toEqual(['s:true', 'r:true', 's:true', 'r:true']);
    expect(calls.filter((c) => c === 's:true').length).toBe(calls.filter((c) => c === 'r:true').length);
  });
});

describe('hook points', () => {
  it('call an instrument added mid-run for what follows, and stop when it is removed', async () => {
    const counts: Record<string, number> = {};
    const count = (name: string) => () => {
      counts[name] = (counts[name] ?? 0) + 1;
    };
    const watcher: Instrument = {
      taskCreated: count('taskCreated'),
      taskScheduled: count('taskScheduled'),
      beforeTaskStep: count('beforeTaskStep'),
      afterTaskStep: count('afterTaskStep'),
      taskDone: count('taskDone'),
      suspending: count('suspending'),
      resuming: count('resuming'),
    };
    function* child(): Coroutine<void> {
      yield* sleep(0); // sleep(0)'s awaiter
      yield* sleep(1); // a timer's
      const f = createTask(sleep(0));
      yield* f; // a future's (a task)
    }
    function* round(): Coroutine<void> {
      yield* createTask(child());
    }
    function* main(): Coroutine<Record<string, number>[]> {
      const seen: Record<string, number>[] = [];
      yield* round(); // nothing watches
      installed = watcher;
      addInstrument(watcher);
      yield* round();
      seen.push({ ...counts });
      removeInstrument(watcher);
      installed = null;
      for (const k of Object.keys(counts)) counts[k] = 0;
      yield* round();
      seen.push({ ...counts });
      return seen;
    }
    const [watched, after] = await run(main());
    // Watched from inside main's step: child and f created (2) and done (2); 7 schedulings (child
    // created, after its sleep(0), woken by the timer and by f; f created and after its sleep(0);
    // main woken by child); 7 step starts (child 4, f 2, main's last, still running) and 7 step
    // ends (main's step that installed the instrument, child 4, f 2); 5 suspensions and 5 resumptions
    // (main on child, child on sleep(0), the timer and f, f on sleep(0)).
    expect(watched).toEqual({ taskCreated: 2, taskScheduled: 7, beforeTaskStep: 7, afterTaskStep: 7, taskDone: 2, suspending: 5, resuming: 5 });
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
  });
});

describe('a coroutine driven by two tasks', () => {
  it('is refused for a frozen hand-written iterator too (it cannot carry the mark)', async () => {
    let n = 0;
    const frozen = Object.freeze({
      next: () => (n++ === 0 ? { value: undefined, done: false } : { value: 'done', done: true }),
      throw: (e: unknown) => {
        throw e;
      },
      return: (v: unknown) => ({ value: v, done: true }),
      [Symbol.iterator]() {
        return this;
      },
    }) as unknown as Coroutine<string>;
    function* main(): Coroutine<string> {
      createTask(frozen);
      createTask(frozen);
      return 'unreachable';
    }
    await expect(run(main())).rejects.toThrow(/already driven by another task/);
  });
});

describe("the loop's list of unfinished tasks", () => {
  it('lists them oldest first, drops each as it finishes, and leaves a finished task linked to none', async () => {
    function* child(steps: number): Coroutine<void> {
      for (let i = 0; i < steps; i++) yield* sleep(0);
    }
    function* main(): Coroutine<string[][]> {
      const names = () => [...allTasks()].map((t) => t.getName());
      const a = createTask(child(3), { name: 'a' });
      const b = createTask(child(1), { name: 'b' });
      const c = createTask(child(2), { name: 'c' });
      const seen = [names()];
      yield* sleep(0);
      yield* sleep(0); // b, in the middle of the list, has finished
      seen.push(names());
      yield* sleep(0); // c, the newest, has finished
      seen.push(names());
      yield* gather([a, b, c]);
      seen.push(names());
      const links = [a, b, c].map((t) => t as unknown as { _prevLive: unknown; _nextLive: unknown });
      seen.push(links.map((l) => String(l._prevLive === null && l._nextLive === null)));
      return seen;
    }
    expect(await run(main(), { name: 'main' })).toEqual([
      ['main', 'a', 'b', 'c'],
      ['main', 'a', 'c'],
      ['main', 'a'],
      ['main'],
      ['true', 'true', 'true'],
    ]);
  });
});

describe('the loop lets Node run between slices', () => {
  it('ends a slice on time when steps are long (a Node timer fires within a few 5 ms steps)', async () => {
    let steps = 0;
    let stepsWhenTimerFired = -1;
    function* busy(): Coroutine<void> {
      for (let i = 0; i < 20; i++) {
        const until = performance.now() + 5;
        while (performance.now() < until) {
          // CPU work inside one step
        }
        steps++;
        yield* sleep(0);
      }
    }
    function* main(): Coroutine<void> {
      setTimeout(() => {
        stepsWhenTimerFired = steps;
      }, 0);
      yield* busy();
    }
    await run(main());
    // A slice is 10 ms: two or three 5 ms steps, then Node's timers run.
    expect(stepsWhenTimerFired).toBeGreaterThan(0);
    expect(stepsWhenTimerFired).toBeLessThanOrEqual(4);
  });
});
