// What each workload does, how big it is, how many operations it counts and the checksum every
// peer must compute. Each peer (loopscope.mjs, native.mjs, effection.mjs, asyncio_workloads.py)
// implements the same programs; the checksums make sure a benchmark cannot silently measure nothing.

/**
 * Workloads: `linear` names the parameter whose growth scales the work linearly (the orchestrator
 * calibrates it per peer so every peer runs for a similar wall time, and compares rates).
 * @type {Record<string, { about: string, base: Record<string, number>, linear: string, ops: (p: any) => number, checksum: (p: any) => number, unit: string }>}
 */
export const WORKLOADS = {
  switch: {
    about: 'n tasks each give up the loop m times (sleep(0) / await null)',
    base: { n: 1000, m: 20 },
    linear: 'm',
    unit: 'switches',
    ops: (p) => p.n * p.m,
    // Task i adds (i + 1) once per switch: every task must run every iteration.
    checksum: (p) => (p.m * p.n * (p.n + 1)) / 2,
  },
  spawn: {
    about: 'reps times: create n trivial tasks (each returns i + rep) and gather their results',
    base: { n: 1000, reps: 5 },
    linear: 'reps',
    unit: 'tasks',
    ops: (p) => p.n * p.reps,
    checksum: (p) => p.reps * ((p.n * (p.n - 1)) / 2) + p.n * ((p.reps * (p.reps - 1)) / 2),
  },
  pingpong: {
    about: 'two tasks, two unbounded queues: ping puts i, pong answers i + 1, `rounds` times',
    base: { rounds: 5000 },
    linear: 'rounds',
    unit: 'round trips',
    ops: (p) => p.rounds,
    checksum: (p) => (p.rounds * (p.rounds + 1)) / 2,
  },
  lock: {
    about: 'n tasks each take one lock k times, giving up the loop once inside (read, sleep(0), write)',
    base: { n: 100, k: 20 },
    linear: 'k',
    unit: 'acquisitions',
    ops: (p) => p.n * p.k,
    // Lost updates (no mutual exclusion) would leave the counter short.
    checksum: (p) => p.n * p.k,
  },
  timers: {
    about: 'n tasks each sleep a pseudo-random whole number of ms in [0, spread)',
    base: { n: 20000, spread: 10 },
    linear: 'n',
    unit: 'timers',
    ops: (p) => p.n,
    checksum: (p) => {
      let s = p.n;
      for (const d of deadlines(p.n, p.spread)) s += d;
      return s;
    },
  },
  taskgroup: {
    about: 'groups times: a TaskGroup of `width` children, each gives up the loop once and returns i; the parent sums',
    base: { groups: 100, width: 100 },
    linear: 'groups',
    unit: 'children',
    ops: (p) => p.groups * p.width,
    checksum: (p) => (p.groups * p.width * (p.width - 1)) / 2,
  },
};

export const WORKLOAD_NAMES = Object.keys(WORKLOADS);

/**
 * The timers' deadlines: MINSTD (x = x * 48271 mod 2^31-1, exact in doubles), seeded with 42, the
 * same sequence asyncio_workloads.py computes.
 */
export function deadlines(n, spread) {
  const out = new Array(n);
  let x = 42;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    out[i] = x % spread;
  }
  return out;
}

/** Checks a workload's parameters; a typo must fail loudly, not run a different benchmark. */
export function checkParams(name, params) {
  const w = WORKLOADS[name];
  if (!w) throw new Error(`unknown workload '${name}' (known: ${WORKLOAD_NAMES.join(', ')})`);
  for (const key of Object.keys(w.base)) {
    const v = params[key];
    if (!Number.isInteger(v) || v < 1) throw new Error(`workload ${name}: parameter ${key} must be a positive integer, got ${v}`);
  }
  for (const key of Object.keys(params)) {
    if (!(key in w.base)) throw new Error(`workload ${name}: unknown parameter ${key}`);
  }
  return w;
}
