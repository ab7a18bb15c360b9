/**
 * JavaScript can throw anything: null, undefined, 0, '', a Symbol, an object whose every property
 * throws, a revoked Proxy (which throws even on `instanceof`). Each must settle its task and the run
 * as an Error does, through every combinator, and the runtime's own messages about it (an exception
 * never retrieved) must not throw. Before the fix `throw null` in a gathered task and any revoked
 * Proxy left run() pending for ever.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  run,
  createTask,
  sleep,
  gather,
  wait,
  waitFor,
  shield,
  asCompleted,
  taskGroup,
  ExceptionGroup,
  FIRST_EXCEPTION,
  type Coroutine,
  type Task,
} from 'loopscope';

/** The kinds of values a program may throw; made fresh per test (a revoked Proxy cannot be reused). */
const KINDS: Record<string, () => unknown> = {
  null: () => null,
  undefined: () => undefined,
  zero: () => 0,
  'empty string': () => '',
  false: () => false,
  NaN: () => NaN,
  symbol: () => Symbol('thrown'),
  bigint: () => 10n,
  'null-prototype object': () => Object.create(null),
  'error whose name, message, stack and toString throw': () => {
    const e = new Error('hidden');
    // 'stack' first: defining it formats the lazy stack, which reads name and message.
    for (const key of ['stack', 'name', 'message', 'toString']) {
      Object.defineProperty(e, key, {
        get() {
          throw new Error(`no ${key}`);
        },
      });
    }
    return e;
  },
  'proxy whose every trap throws': () =>
    new Proxy(new Error('p'), {
      get: () => {
        throw new Error('get trap');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf trap');
      },
      has: () => {
        throw new Error('has trap');
      },
      ownKeys: () => {
        throw new Error('ownKeys trap');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('getOwnPropertyDescriptor trap');
      },
    }),
  'revoked proxy': () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
};

/** What a promise settled with, without any assertion library touching the value. */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error) => ({ ok: false as const, error }),
  );
}

function* fail(value: unknown, ms = 1): Coroutine<never> {
  yield* sleep(ms);
  throw value;
}

function* idle(ms: number): Coroutine<string> {
  yield* sleep(ms);
  return 'slept';
}

/** Asserts identity with Object.is, naming the kind on failure (printing the value itself may throw). */
function expectSame(got: unknown, want: unknown, kind: string): void {
  expect(Object.is(got, want), `expected the ${kind} that was thrown`).toBe(true);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(Object.entries(KINDS))('throwing %s', (kind, make) => {
  it('from main: run() rejects with it', async () => {
    const v = make();
    const r = await settle(run(fail(v)));
    expect(r.ok).toBe(false);
    if (!r.ok) expectSame(r.error, v, kind);
  });

  it('from a task: awaiting the task throws it', async () => {
    const v = make();
    function* main(): Coroutine<unknown[]> {
      const t = createTask(fail(v), { name: 'thrower' });
      try {
        yield* t;
      } catch (e) {
        return [e]; // boxed: an async function resolving with a Proxy reads its `then` (the trap throws)
      }
      return ['no error'];
    }
    expectSame((await run(main()))[0], v, kind);
  });

  it('gather: rejects with it; with returnExceptions it is the child’s result', async () => {
    const v = make();
    function* plain(): Coroutine<unknown[]> {
      try {
        yield* gather([fail(v), idle(5)]);
      } catch (e) {
        return [e]; // boxed: an async function resolving with a Proxy reads its `then` (the trap throws)
      }
      return ['no error'];
    }
    expectSame((await run(plain()))[0], v, kind);
    const w = make();
    function* collected(): Coroutine<unknown[]> {
      return yield* gather([fail(w), idle(2)], { returnExceptions: true });
    }
    const results = await run(collected());
    expectSame(results[0], w, kind);
    expect(results[1]).toBe('slept');
  });

  it('wait(FIRST_EXCEPTION): returns when it is thrown, not when everything is done', async () => {
    const v = make();
    function* main(): Coroutine<[number, number]> {
      const failing = createTask(fail(v, 1));
      const slow = createTask(idle(10_000));
      const [done, pending] = yield* wait([failing, slow] as Task<unknown>[], { returnWhen: FIRST_EXCEPTION });
      expectSame(failing.exception(), v, kind);
      slow.cancel();
      return [done.size, pending.size];
    }
    expect(await run(main())).toEqual([1, 1]);
  });

  it('waitFor: rethrows it (a coroutine, and a task)', async () => {
    const v = make();
    const w = make();
    function* main(): Coroutine<unknown[]> {
      const out: unknown[] = [];
      try {
        yield* waitFor(fail(v), 1000);
      } catch (e) {
        out.push(e);
      }
      try {
        yield* waitFor(createTask(fail(w)), 1000);
      } catch (e) {
        out.push(e);
      }
      return out;
    }
    const [a, b] = await run(main());
    expectSame(a, v, kind);
    expectSame(b, w, kind);
  });

  it('taskGroup: an ExceptionGroup holding it, the sibling cancelled', async () => {
    const v = make();
    let sibling: Task<unknown> | null = null;
    function* main(): Coroutine<unknown[]> {
      try {
        yield* taskGroup(function* (tg) {
          tg.createTask(fail(v));
          sibling = tg.createTask(idle(10_000));
        });
      } catch (e) {
        return [e]; // boxed: an async function resolving with a Proxy reads its `then` (the trap throws)
      }
      return ['no error'];
    }
    const [e] = await run(main());
    expect(e).toBeInstanceOf(ExceptionGroup);
    const errors = (e as ExceptionGroup).errors;
    expect(errors.length).toBe(1);
    expectSame(errors[0], v, kind);
    expect(sibling!.cancelled()).toBe(true);
  });

  it('shield: rethrows it', async () => {
    const v = make();
    function* main(): Coroutine<unknown[]> {
      try {
        yield* shield(createTask(fail(v)));
      } catch (e) {
        return [e]; // boxed: an async function resolving with a Proxy reads its `then` (the trap throws)
      }
      return ['no error'];
    }
    expectSame((await run(main()))[0], v, kind);
  });

  it('asCompleted: the await of that completion throws it, the others still come', async () => {
    const v = make();
    function* main(): Coroutine<unknown[]> {
      const out: unknown[] = [];
      for (const next of asCompleted([fail(v, 1), idle(3)])) {
        try {
          out.push(yield* next);
        } catch (e) {
          out.push(e);
        }
      }
      return out;
    }
    const [first, second] = await run(main());
    expectSame(first, v, kind);
    expect(second).toBe('slept');
  });

  it('never retrieved: reported on stderr at the end of run(), the run unharmed', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const v = make();
    function* main(): Coroutine<string> {
      // Until it has failed (wait() does not retrieve the exception); a sleep could end main first on a loaded machine.
      yield* wait([createTask(fail(v), { name: 'forgotten' })]);
      return 'main done';
    }
    expect(await run(main())).toBe('main done');
    const text = written.join('');
    expect(text).toContain("Task exception was never retrieved (Task 'forgotten')");
    expect(text).not.toContain('loopscope: an instrument hook threw');
  });
});

describe('a task name of any type', () => {
  it.each([
    ['number', 42, '42'],
    ['symbol', Symbol('sym'), 'Symbol(sym)'],
    ['object', { toString: () => 'from toString' }, 'from toString'],
  ])('%s: becomes text at creation (asyncio’s str(name)), so messages naming the task never throw', async (_kind, name, text) => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    function* main(): Coroutine<string> {
      const t = createTask(fail(new Error('boom')), { name: name as string });
      yield* wait([t]);
      return `${t.getName()}|${String(t)}`;
    }
    expect(await run(main())).toBe(`${text}|<Task finished name='${text}'>`);
    expect(written.join('')).toContain(`Task exception was never retrieved (Task '${text}')`);
  });
});

describe('a cancel message of any type', () => {
  it.each([
    ['symbol', Symbol('m'), 'Symbol(m)'],
    ['number', 5, '5'],
    ['object whose toString throws', { toString: () => { throw new Error('ts'); } }, '<unreadable: Error: ts>'],
    ['revoked proxy', (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })(), /^<unreadable: TypeError: .*revoked/],
  ])('%s: the task is cancelled with a CancelledError whose message is its text, suspended or not yet started', async (_kind, msg, text) => {
    function* main(): Coroutine<string[]> {
      const out: string[] = [];
      const suspended = createTask(idle(1000));
      yield* sleep(1);
      const notStarted = createTask(idle(1000));
      for (const t of [suspended, notStarted]) {
        t.cancel(msg as string);
        try {
          yield* t;
          out.push('not cancelled');
        } catch (e) {
          out.push(`${(e as Error).name}: ${(e as Error).message}`);
        }
      }
      return out;
    }
    const out = await run(main());
    expect(out).toHaveLength(2);
    for (const line of out) expect(line.replace(/^CancelledError: /, '')).toMatch(typeof text === 'string' ? new RegExp(`^${text.replace(/[()]/g, '\\$&')}$`) : text);
    for (const line of out) expect(line).toMatch(/^CancelledError: /);
  });
});
