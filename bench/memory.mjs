// Bytes per suspended task: `node --expose-gc bench/memory.mjs '{"peer":"loopscope","n":100000}'`.
// n tasks each wait on one shared thing that never happens; heapUsed after a full GC, minus the
// same before the tasks exist, divided by n. Prints { bytesPerTask, n, node }.
import { pathToFileURL } from 'node:url';
import { RUNTIME_BUNDLE } from './buildVariants.mjs';

const { peer, n, bundle = RUNTIME_BUNDLE } = JSON.parse(process.argv[2] ?? 'null') ?? {};
if (!Number.isInteger(n) || n < 1) throw new Error(`memory: n must be a positive integer, got ${n}`);
if (typeof globalThis.gc !== 'function') throw new Error('memory: run with node --expose-gc');

function settledHeap() {
  // Several passes: finalizers and weak callbacks may free more on the next one.
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

let bytes;
let suspended;
if (peer === 'loopscope') {
  const ls = await import(pathToFileURL(bundle).href);
  const { run, createTask, sleep, getRunningLoop } = ls;
  function* waiter(fut) {
    yield* fut;
  }
  bytes = await run(
    (function* () {
      const never = getRunningLoop().createFuture();
      const before = settledHeap();
      const tasks = [];
      for (let i = 0; i < n; i++) tasks.push(createTask(waiter(never)));
      yield* sleep(0); // every task runs its first step and suspends on `never`
      const after = settledHeap();
      suspended = tasks.filter((t) => t.waitingOn() === never).length;
      for (const t of tasks) t.cancel();
      return after - before;
    })(),
  );
} else if (peer === 'native') {
  const never = new Promise(() => {});
  async function waiter() {
    await never;
  }
  const before = settledHeap();
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(waiter());
  await null;
  const after = settledHeap();
  // A native promise cannot say what it waits for; count the pending ones instead.
  const probe = {};
  const states = await Promise.all(tasks.map((t) => Promise.race([t, probe])));
  suspended = states.filter((s) => s === probe).length;
  bytes = after - before;
} else if (peer === 'effection') {
  const { run, spawn, suspend, sleep } = await import('effection');
  await run(function* () {
    const before = settledHeap();
    const tasks = [];
    for (let i = 0; i < n; i++) tasks.push(yield* spawn(suspend));
    yield* sleep(1);
    const after = settledHeap();
    bytes = after - before;
    suspended = tasks.length;
    // Leaving the scope halts every spawned task.
  });
} else {
  throw new Error(`memory: unknown peer '${peer}' (loopscope, native, effection)`);
}
if (suspended !== n) throw new Error(`memory: ${peer}: only ${suspended} of ${n} tasks were suspended when measured`);
process.stdout.write(JSON.stringify({ bytesPerTask: bytes / n, n, node: process.version }) + '\n');
