/** What a user who gets the model wrong sees: clear, specific errors, and a program that is not corrupted. */
import { describe, it, expect } from 'vitest';
import {
  run,
  createTask,
  sleep,
  fromPromise,
  getRunningLoop,
  RuntimeError,
  PriorityQueue,
  Lock,
  Queue,
  type Coroutine,
  type ExceptionContext,
} from 'loopscope';

describe('misuse gets a clear error', () => {
  it('yield instead of yield* is thrown into the coroutine at that line, naming the fix', async () => {
    function* main(): Coroutine<string> {
      const fut = getRunningLoop().createFuture<number>();
      try {
        yield fut as never; // the mistake: a bare yield
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    }
    expect(await run(main())).toMatch(/yield\* future/);
  });

  it('yielding a plain value is a RuntimeError in the coroutine', async () => {
    function* main(): Coroutine<void> {
      yield 42 as never;
    }
    await expect(run(main())).rejects.toBeInstanceOf(RuntimeError);
  });

  it('a task awaiting itself is refused', async () => {
    function* main(): Coroutine<void> {
      let self: ReturnType<typeof createTask> | null = null;
      function* waiter(): Coroutine<void> {
        yield* sleep(0);
        yield* self!;
      }
      self = createTask(waiter());
      yield* self;
    }
    await expect(run(main())).rejects.toThrow(/cannot await on itself/);
  });

  it('run() inside a running loop is refused without disturbing the outer run', async () => {
    function* inner(): Coroutine<number> {
      return 1;
    }
    function* main(): Coroutine<string> {
      const p = run(inner());
      const err = yield* fromPromise(p.then(() => 'no error', (e: Error) => e.message));
      return err;
    }
    expect(await run(main())).toMatch(/cannot be called from a running event loop/);
  });

  it('passing a coroutine function instead of a coroutine says to call it', async () => {
    function* work(): Coroutine<void> {}
    function* main(): Coroutine<void> {
      createTask(work as never);
    }
    await expect(run(main())).rejects.toThrow(/call it \(work\(\)\)/);
    await expect(run(Promise.resolve() as never)).rejects.toThrow(/got a Promise/);
  });

  it('the same coroutine object cannot be driven by two tasks', async () => {
    function* work(): Coroutine<void> {
      yield* sleep(1);
    }
    function* main(): Coroutine<void> {
      const c = work();
      createTask(c);
      createTask(c);
    }
    await expect(run(main())).rejects.toThrow(/already driven by another task/);
  });

  it('getRunningLoop() outside run() says there is no loop', () => {
    expect(() => getRunningLoop()).toThrow(/no running event loop/);
  });

  it('a PriorityQueue of unorderable items says what to do, and keeps its items', async () => {
    function* main(): Coroutine<number> {
      const q = new PriorityQueue<unknown>();
      q.putNowait(1);
      expect(() => q.putNowait({ job: 'x' })).toThrow(/pass \{ compare \}/);
      return q.qsize();
    }
    expect(await run(main())).toBe(1);
    function* custom(): Coroutine<string[]> {
      const q = new PriorityQueue<{ p: number; n: string }>(0, { compare: (a, b) => a.p - b.p });
      for (const [p, n] of [[2, 'b'], [1, 'a'], [3, 'c']] as const) q.putNowait({ p, n });
      return [q.getNowait().n, q.getNowait().n, q.getNowait().n];
    }
    expect(await run(custom())).toEqual(['a', 'b', 'c']);
  });

  it('bad constructor arguments are refused with the value named', () => {
    expect(() => new Queue('10' as never)).toThrow(/maxsize must be a number, got 10/);
    expect(() => sleep(Number.NaN)).toThrow(/ms must be a number/);
  });
});

describe('unretrieved exceptions', () => {
  it('a failed task nobody awaited is reported through the exception handler, naming the task', async () => {
    const reports: ExceptionContext[] = [];
    function* failing(): Coroutine<void> {
      yield* sleep(1);
      throw new Error('lost error');
    }
    function* main(): Coroutine<void> {
      getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx));
      createTask(failing(), { name: 'forgotten' });
      yield* sleep(5);
    }
    await run(main(), { clock: 'virtual' });
    expect(reports).toHaveLength(1);
    expect(reports[0].message).toMatch(/exception was never retrieved/);
    expect(String(reports[0].task ?? reports[0].future)).toContain('forgotten');
    expect((reports[0].exception as Error).message).toBe('lost error');
  });

  it('an exception that was retrieved is not reported', async () => {
    const reports: ExceptionContext[] = [];
    function* failing(): Coroutine<void> {
      throw new Error('seen');
    }
    function* main(): Coroutine<void> {
      getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx));
      const t = createTask(failing());
      yield* sleep(1);
      expect((t.exception() as Error).message).toBe('seen');
    }
    await run(main(), { clock: 'virtual' });
    expect(reports).toEqual([]);
  });
});

describe('Lock owner', () => {
  it('names the task holding the lock, and forgets it on release', async () => {
    function* main(): Coroutine<string[]> {
      const lock = new Lock({ name: 'db' });
      const seen: string[] = [];
      function* holder(): Coroutine<void> {
        yield* lock.acquire();
        yield* sleep(2);
        lock.release();
      }
      createTask(holder(), { name: 'holder-1' });
      yield* sleep(1);
      seen.push(lock.owner()?.getName() ?? 'none', String(lock));
      yield* sleep(2);
      seen.push(lock.owner()?.getName() ?? 'none');
      return seen;
    }
    expect(await run(main(), { clock: 'virtual' })).toEqual(['holder-1', '<Lock db [locked]>', 'none']);
  });
});
