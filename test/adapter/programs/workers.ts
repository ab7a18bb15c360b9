// Two workers, each fetching two items (a sleep per item), awaited by main. Lines the tests
// look for carry a `// @name` marker, so the tests never hard-code line numbers.
import { run, createTask, sleep, type Coroutine } from 'loopscope';

function* fetchItem(n: number): Coroutine<number> {
  yield* sleep(10 * n); // @sleep
  return n * 2;
}

function* worker(items: number): Coroutine<number> {
  let total = 0;
  for (let i = 1; i <= items; i++) {
    total += yield* fetchItem(i); // @fetch
  }
  return total;
}

function* main(): Coroutine<void> {
  const a = createTask(worker(2), { name: 'worker-1' }); // @create1
  const b = createTask(worker(2), { name: 'worker-2' }); // @create2
  const results = [yield* a, yield* b]; // @join
  console.log(`results ${results.join(',')}`);
}

run(main());
