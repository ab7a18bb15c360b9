// The workloads on Loopscope. The runtime module is passed in, so the same programs run on the
// bundle users get (runtime/dist/index.js), on the bundle built without hook sites, and, in the
// checksum test, on the sources.
import { deadlines } from './spec.mjs';

/** @param {typeof import('../../runtime/src/index')} ls */
export function loopscopeWorkloads(ls) {
  const { run, createTask, sleep, gather, taskGroup, Queue, Lock } = ls;

  function* switcher(i, m) {
    let acc = 0;
    for (let j = 0; j < m; j++) {
      yield* sleep(0);
      acc += i + 1;
    }
    return acc;
  }

  function* trivial(v) {
    return v;
  }

  function* sleeper(ms) {
    yield* sleep(ms);
    return ms;
  }

  function* child(i) {
    yield* sleep(0);
    return i;
  }

  return {
    /** @param {{n: number, m: number}} p */
    switch: (p) =>
      run(
        (function* () {
          const tasks = [];
          for (let i = 0; i < p.n; i++) tasks.push(createTask(switcher(i, p.m)));
          let sum = 0;
          for (const t of tasks) sum += yield* t;
          return sum;
        })(),
      ),

    /** @param {{n: number, reps: number}} p */
    spawn: (p) =>
      run(
        (function* () {
          let sum = 0;
          for (let rep = 0; rep < p.reps; rep++) {
            const tasks = [];
            for (let i = 0; i < p.n; i++) tasks.push(createTask(trivial(i + rep)));
            const results = yield* gather(tasks);
            for (const r of results) sum += r;
          }
          return sum;
        })(),
      ),

    /** @param {{rounds: number}} p */
    pingpong: (p) =>
      run(
        (function* () {
          const toPong = new Queue();
          const toPing = new Queue();
          const pong = createTask(
            (function* () {
              for (let i = 0; i < p.rounds; i++) yield* toPing.put((yield* toPong.get()) + 1);
            })(),
          );
          let sum = 0;
          for (let i = 0; i < p.rounds; i++) {
            yield* toPong.put(i);
            sum += yield* toPing.get();
          }
          yield* pong;
          return sum;
        })(),
      ),

    /** @param {{n: number, k: number}} p */
    lock: (p) =>
      run(
        (function* () {
          const lock = new Lock();
          const state = { counter: 0 };
          function* contender() {
            for (let j = 0; j < p.k; j++) {
              yield* lock.acquire();
              const v = state.counter;
              yield* sleep(0);
              state.counter = v + 1;
              lock.release();
            }
          }
          const tasks = [];
          for (let i = 0; i < p.n; i++) tasks.push(createTask(contender()));
          for (const t of tasks) yield* t;
          return state.counter;
        })(),
      ),

    /** @param {{n: number, spread: number}} p */
    timers: (p) =>
      run(
        (function* () {
          const tasks = deadlines(p.n, p.spread).map((d) => createTask(sleeper(d)));
          let sum = p.n;
          for (const t of tasks) sum += yield* t;
          return sum;
        })(),
      ),

    /** @param {{groups: number, width: number}} p */
    taskgroup: (p) =>
      run(
        (function* () {
          let sum = 0;
          for (let g = 0; g < p.groups; g++) {
            const tasks = [];
            yield* taskGroup(function* (tg) {
              for (let i = 0; i < p.width; i++) tasks.push(tg.createTask(child(i)));
            });
            for (const t of tasks) sum += t.result();
          }
          return sum;
        })(),
      ),
  };
}
