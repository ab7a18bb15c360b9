// A coroutine called without `yield*` never runs: `saveResult(n, …);` makes a coroutine and drops
// it. Nothing fails and nothing is saved: the program ends saying "saved 0 of 3 results".
// asyncio warns "coroutine 'saveResult' was never awaited"; Loopscope warns too, at that line.
import { run, createTask, sleep, type Coroutine } from 'loopscope';

const saved = new Map<number, number>();

function* saveResult(job: number, value: number): Coroutine<void> {
  yield* sleep(5); // the write takes a moment
  saved.set(job, value);
}

function* worker(job: number): Coroutine<void> {
  yield* sleep(10 * job); // the work
  saveResult(job, job * job); // ← bug: should be `yield* saveResult(job, job * job)`
}

function* main(): Coroutine<void> {
  const workers = [1, 2, 3].map((job) => createTask(worker(job), { name: `worker-${job}` }));
  for (const w of workers) yield* w;
  console.log(`saved ${saved.size} of ${workers.length} results`);
}

run(main());
