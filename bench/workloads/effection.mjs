// The workloads on Effection 4 (structured concurrency with generators, the nearest JS library to
// Loopscope). Effection has no lock, so the smallest fair one is written with action().
//
// "Give up the loop" is `yield* tick`, an action that resolves at once, not Effection's sleep(0):
// sleep() is a setTimeout, and Node clamps setTimeout(0) to 1 ms, so sleep(0) would measure the
// timer clamp (~1000 switches/s per task), not Effection. An action that settles immediately still
// goes through Effection's reducer: the routine is re-queued and other routines run before it.
import { run, spawn, action, all, sleep, createQueue } from 'effection';
import { deadlines } from './spec.mjs';

const noop = () => {};
const tick = action((resolve) => {
  resolve();
  return noop;
}, 'tick');

/** A FIFO mutex handing the lock to the next waiter; a waiter that is halted leaves the line. */
function createMutex() {
  let locked = false;
  const waiters = [];
  return {
    acquire: action((resolve) => {
      if (!locked) {
        locked = true;
        resolve();
        return noop;
      }
      waiters.push(resolve);
      return () => {
        const i = waiters.indexOf(resolve);
        if (i >= 0) waiters.splice(i, 1);
      };
    }, 'acquire'),
    release() {
      if (waiters.length > 0) waiters.shift()();
      else locked = false;
    },
  };
}

function* switcher(i, m) {
  let acc = 0;
  for (let j = 0; j < m; j++) {
    yield* tick;
    acc += i + 1;
  }
  return acc;
}

export const effectionWorkloads = {
  switch: (p) =>
    run(function* () {
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(yield* spawn(() => switcher(i, p.m)));
      let sum = 0;
      for (const t of tasks) sum += yield* t;
      return sum;
    }),

  spawn: (p) =>
    run(function* () {
      let sum = 0;
      for (let rep = 0; rep < p.reps; rep++) {
        const tasks = [];
        for (let i = 0; i < p.n; i++) {
          const v = i + rep;
          tasks.push(
            yield* spawn(function* () {
              return v;
            }),
          );
        }
        for (const t of tasks) sum += yield* t;
      }
      return sum;
    }),

  pingpong: (p) =>
    run(function* () {
      const toPong = createQueue();
      const toPing = createQueue();
      const pong = yield* spawn(function* () {
        for (let i = 0; i < p.rounds; i++) toPing.add((yield* toPong.next()).value + 1);
      });
      let sum = 0;
      for (let i = 0; i < p.rounds; i++) {
        toPong.add(i);
        sum += (yield* toPing.next()).value;
      }
      yield* pong;
      return sum;
    }),

  lock: (p) =>
    run(function* () {
      const mutex = createMutex();
      const state = { counter: 0 };
      function* contender() {
        for (let j = 0; j < p.k; j++) {
          yield* mutex.acquire;
          const v = state.counter;
          yield* tick;
          state.counter = v + 1;
          mutex.release();
        }
      }
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(yield* spawn(contender));
      for (const t of tasks) yield* t;
      return state.counter;
    }),

  timers: (p) =>
    run(function* () {
      const tasks = [];
      for (const d of deadlines(p.n, p.spread)) {
        tasks.push(
          yield* spawn(function* () {
            yield* sleep(d);
            return d;
          }),
        );
      }
      let sum = p.n;
      for (const t of tasks) sum += yield* t;
      return sum;
    }),

  // all() is Effection's fan-out/fan-in: children run in one scope, a failure halts the rest.
  taskgroup: (p) =>
    run(function* () {
      let sum = 0;
      for (let g = 0; g < p.groups; g++) {
        const ops = [];
        for (let i = 0; i < p.width; i++) {
          ops.push(
            (function* () {
              yield* tick;
              return i;
            })(),
          );
        }
        for (const r of yield* all(ops)) sum += r;
      }
      return sum;
    }),
};
