// Small programs whose behaviour must be the same under the debugger as alone (reliability suite).
// `node hostile.mjs <case>`: each case prints what it saw on stdout; failures the runtime reports go
// to stderr; the exit code says how run() ended. Plain JavaScript against the built runtime, so no
// compiler runs in between and the program can do what TypeScript would refuse (a Symbol as a name).
import { run, createTask, sleep, gather, wait, waitFor, shield, asCompleted, taskGroup, Lock, Event, Queue, FIRST_EXCEPTION } from '../../../runtime/dist/index.js';

function throwing(key) {
  return {
    get() {
      throw new Error(`no ${key}`);
    },
  };
}

/** Values that throw on every path a debugger could read them by. */
const hostile = {
  errorGetters() {
    const e = new Error('hidden');
    // 'stack' first: defining it formats V8's lazy stack, which reads name and message.
    for (const key of ['stack', 'name', 'message', 'toString', 'cause', 'constructor']) Object.defineProperty(e, key, throwing(key));
    return e;
  },
  nullPrototypeMessage() {
    const e = new Error('x');
    Object.defineProperty(e, 'message', { value: Object.create(null) });
    return e;
  },
  nullPrototypeObject: () => Object.create(null),
  throwingToString: () => ({ toString: throwing('toString').get, valueOf: throwing('valueOf').get, [Symbol.toPrimitive]: throwing('toPrimitive').get }),
  proxyTraps() {
    const trap = (name) => () => {
      throw new Error(`${name} trap`);
    };
    return new Proxy(new Error('p'), {
      get: trap('get'),
      getPrototypeOf: trap('getPrototypeOf'),
      has: trap('has'),
      ownKeys: trap('ownKeys'),
      getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor'),
    });
  },
  revokedProxy() {
    const r = Proxy.revocable(new Error('r'), {});
    r.revoke();
    return r.proxy;
  },
};

/** Values of every type a program may throw. */
const thrown = {
  null: () => null,
  undefined: () => undefined,
  zero: () => 0,
  emptyString: () => '',
  false: () => false,
  NaN: () => NaN,
  symbol: () => Symbol('thrown'),
  bigint: () => 10n,
  plainObject: () => ({ code: 7 }),
  array: () => [1, 2, 3],
  function: () => function namedFn() {},
  ...hostile,
};

/** What a thrown value is, told without reading it (typeof and identity only). */
const kindOf = (v) => (v === null ? 'null' : typeof v);

function* fail(value, ms = 1) {
  yield* sleep(ms);
  throw value;
}

function* idle(ms) {
  yield* sleep(ms);
  return 'slept';
}

/** Every combinator with a task that throws `make()`: each result printed by kind and identity. */
function* throughCombinators(make) {
  const out = [];
  const see = (label, got, want) => out.push(`${label}: ${kindOf(got)} ${Object.is(got, want) ? 'same' : 'DIFFERENT'}`);
  let v = make();
  try {
    yield* createTask(fail(v), { name: 'awaited' });
  } catch (e) {
    see('task', e, v);
  }
  v = make();
  try {
    yield* gather([fail(v), idle(3)]);
  } catch (e) {
    see('gather', e, v);
  }
  v = make();
  const results = yield* gather([fail(v), idle(2)], { returnExceptions: true });
  see('gather returnExceptions', results[0], v);
  v = make();
  const failing = createTask(fail(v));
  const slow = createTask(idle(60_000));
  const [done] = yield* wait([failing, slow], { returnWhen: FIRST_EXCEPTION });
  out.push(`wait FIRST_EXCEPTION: ${done.size} done`);
  slow.cancel();
  v = make();
  try {
    yield* waitFor(fail(v), 1000);
  } catch (e) {
    see('waitFor', e, v);
  }
  v = make();
  try {
    yield* taskGroup(function* (tg) {
      tg.createTask(fail(v));
      tg.createTask(idle(60_000));
    });
  } catch (e) {
    see('taskGroup', e.errors[0], v);
  }
  v = make();
  try {
    yield* shield(createTask(fail(v)));
  } catch (e) {
    see('shield', e, v);
  }
  v = make();
  for (const next of asCompleted([fail(v, 1)])) {
    try {
      yield* next;
    } catch (e) {
      see('asCompleted', e, v);
    }
  }
  return out;
}

const cases = {};

// Every thrown kind through every combinator, then once never retrieved (reported on stderr).
cases.combinators = function* () {
  const forgotten = [];
  for (const [kind, make] of Object.entries(thrown)) {
    for (const line of yield* throughCombinators(make)) console.log(`${kind} ${line}`);
    forgotten.push(createTask(fail(make()), { name: `forgotten-${kind}` }));
  }
  // Until they have all failed (not a sleep: on a loaded machine main could end first, and the
  // leftovers be cancelled rather than reported). wait() does not retrieve their exceptions.
  yield* wait(forgotten);
  return 0;
};

// Main itself fails with a hostile value: run() rejects, the program reports it and exits 2.
for (const [kind, make] of Object.entries(thrown)) {
  cases[`main-${kind}`] = function* () {
    yield* sleep(1);
    throw make();
  };
}

const CONTROL = 'ctl\x1b[2J\x1b]0;title\x07\nnext\rrow\t\u202eend';
const NAMES = {
  symbol: Symbol('sym-name'),
  number: 42,
  object: { toString: () => 'object-name' },
  null: null,
  long: 'n'.repeat(10_000),
  control: CONTROL,
  empty: '',
};

// Tasks that return values of every type (the debugger previews each result), hostile ones included.
cases.results = function* () {
  const tasks = Object.entries(thrown).map(([kind, make]) =>
    createTask(
      (function* () {
        yield* sleep(1);
        return make();
      })(),
      { name: `returns-${kind}` },
    ),
  );
  yield* wait(tasks);
  yield* sleep(120); // a batch or two: the finished tasks' records are sent
  for (const t of tasks) console.log(`${t.getName()}: ${kindOf(t.result())}`);
  return 0;
};

// Tasks cancelled with messages of every type, suspended and not yet started.
cases.cancelMessages = function* () {
  const messages = { ...NAMES, bigint: 10n, ...hostile };
  for (const [kind, make] of Object.entries(messages)) {
    const msg = typeof make === 'function' && kind in hostile ? make() : make;
    const suspended = createTask(idle(60_000), { name: `suspended-${kind}` });
    yield* sleep(1);
    const notStarted = createTask(idle(60_000), { name: `not-started-${kind}` });
    for (const t of [suspended, notStarted]) {
      t.cancel(msg);
      try {
        yield* t;
      } catch (e) {
        console.log(`${t.getName()}: ${e.name}, message ${e.message.length} characters`);
      }
    }
  }
  return 0;
};

// Resources named with values of every type, waited on long enough to be sent (a batch is ~50 ms).
cases.resourceNames = function* () {
  const names = { ...NAMES, bigint: 10n, toJSONThrows: { toJSON: throwing('toJSON').get }, ...hostile };
  const held = [];
  for (const [kind, make] of Object.entries(names)) {
    const name = typeof make === 'function' && kind in hostile ? make() : make;
    const lock = new Lock({ name });
    yield* lock.acquire();
    held.push(lock);
    createTask(lock.acquire(), { name: `on-lock-${kind}` });
    const queue = new Queue(0, { name });
    createTask(queue.get(), { name: `on-queue-${kind}` });
    held.push(queue);
    const event = new Event({ name });
    createTask(event.wait(), { name: `on-event-${kind}` });
    held.push(event);
  }
  yield* sleep(150);
  for (const r of held) {
    if (r instanceof Lock) r.release();
    else if (r instanceof Queue) r.putNowait(1);
    else r.set();
  }
  yield* sleep(5);
  console.log(`released ${held.length}`);
  return 0;
};

// Names of every type on tasks that stay suspended (on a Lock and an Event), fail, are cancelled and finish.
cases.names = function* () {
  const lock = new Lock({ name: CONTROL });
  const event = new Event({ name: 'e\x1b[31m' });
  yield* lock.acquire();
  const tasks = [];
  const ending = [];
  for (const [kind, name] of Object.entries(NAMES)) {
    tasks.push(createTask(lock.acquire(), { name }));
    tasks.push(createTask(event.wait(), { name }));
    const failing = createTask(fail(new Error(`failed ${kind}\x1b[2J`)), { name });
    tasks.push(createTask(idle(60_000), { name }));
    const finishing = createTask(idle(1), { name });
    tasks.push(failing, finishing);
    ending.push(failing, finishing);
  }
  yield* wait(ending); // the others are suspended by then: what follows does not depend on timing
  for (const t of tasks) if (!t.done() && t.getName() !== CONTROL) t.cancel(`stop\x1b[2J ${t.getName().length}`);
  yield* sleep(5);
  for (const t of tasks) console.log(`${JSON.stringify(t.getName().slice(0, 40))} ${t.getName().length} ${t.cancelled() ? 'cancelled' : t.done() ? 'done' : 'pending'}`);
  lock.release();
  event.set();
  yield* sleep(5);
  // Retrieve what failed, so stderr holds only what differs by design (nothing).
  for (const t of tasks) if (t.done() && !t.cancelled()) t.exception();
  return 0;
};

const name = process.argv[2];
const main = cases[name];
if (!main) {
  console.error(`no case ${name}; cases: ${Object.keys(cases).join(' ')}`);
  process.exit(64);
}
run(main()).then(
  (code) => {
    console.log(`run() resolved`);
    process.exitCode = code;
  },
  (e) => {
    console.log(`run() rejected with a ${kindOf(e)}`);
    process.exitCode = 2;
  },
);
