// The workloads as plain Node async/await: what a JavaScript programmer writes without a runtime.
// Node has no queue or lock for promises, so the smallest fair ones are written here.
import { deadlines } from './spec.mjs';

/** An unbounded FIFO channel: put never waits, get waits while empty. */
class Channel {
  items = [];
  waiters = [];
  put(x) {
    if (this.waiters.length > 0) this.waiters.shift()(x);
    else this.items.push(x);
  }
  get() {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** A FIFO mutex that hands the lock straight to the next waiter. */
class Mutex {
  locked = false;
  waiters = [];
  acquire() {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release() {
    if (this.waiters.length > 0) this.waiters.shift()();
    else this.locked = false;
  }
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms, ms));

async function switcher(i, m) {
  let acc = 0;
  for (let j = 0; j < m; j++) {
    await null;
    acc += i + 1;
  }
  return acc;
}

async function trivial(v) {
  return v;
}

async function child(i) {
  await null;
  return i;
}

export const nativeWorkloads = {
  switch: async (p) => {
    const tasks = [];
    for (let i = 0; i < p.n; i++) tasks.push(switcher(i, p.m));
    let sum = 0;
    for (const t of tasks) sum += await t;
    return sum;
  },

  spawn: async (p) => {
    let sum = 0;
    for (let rep = 0; rep < p.reps; rep++) {
      const tasks = [];
      for (let i = 0; i < p.n; i++) tasks.push(trivial(i + rep));
      for (const r of await Promise.all(tasks)) sum += r;
    }
    return sum;
  },

  pingpong: async (p) => {
    const toPong = new Channel();
    const toPing = new Channel();
    const pong = (async () => {
      for (let i = 0; i < p.rounds; i++) toPing.put((await toPong.get()) + 1);
    })();
    let sum = 0;
    for (let i = 0; i < p.rounds; i++) {
      toPong.put(i);
      sum += await toPing.get();
    }
    await pong;
    return sum;
  },

  lock: async (p) => {
    const mutex = new Mutex();
    const state = { counter: 0 };
    async function contender() {
      for (let j = 0; j < p.k; j++) {
        await mutex.acquire();
        const v = state.counter;
        await null;
        state.counter = v + 1;
        mutex.release();
      }
    }
    const tasks = [];
    for (let i = 0; i < p.n; i++) tasks.push(contender());
    await Promise.all(tasks);
    return state.counter;
  },

  timers: async (p) => {
    const tasks = deadlines(p.n, p.spread).map(delay);
    let sum = p.n;
    for (const d of await Promise.all(tasks)) sum += d;
    return sum;
  },

  // Promise.all is the nearest native fan-out/fan-in; it has no TaskGroup semantics (a failing
  // child does not cancel the others), so it does less work than a TaskGroup.
  taskgroup: async (p) => {
    let sum = 0;
    for (let g = 0; g < p.groups; g++) {
      const tasks = [];
      for (let i = 0; i < p.width; i++) tasks.push(child(i));
      for (const r of await Promise.all(tasks)) sum += r;
    }
    return sum;
  },
};
