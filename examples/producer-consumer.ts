// A fast producer and slow consumers over a bounded queue: backpressure in action.
// Loopscope shows the producer suspended on `Queue.put` while the queue is full, and the
// consumers alternating between `Queue.get` and their work.
import { run, createTask, sleep, Queue, gather, type Coroutine } from 'loopscope';

const ITEMS = Number(process.env.ITEMS ?? 60);
const jobs = new Queue<number | null>(5, { name: 'jobs' });

function* producer(): Coroutine<void> {
  for (let i = 1; i <= ITEMS; i++) {
    yield* jobs.put(i); // suspends while the queue is full
    if (i % 10 === 0) console.log(`produced ${i}`);
  }
}

function* consumer(id: number): Coroutine<number> {
  let handled = 0;
  for (;;) {
    const item = yield* jobs.get();
    try {
      if (item === null) return handled;
      yield* sleep(20 + (item % 3) * 10); // the slow part
      handled++;
    } finally {
      jobs.taskDone();
    }
  }
}

function* main(): Coroutine<void> {
  const consumers = [1, 2, 3].map((i) => createTask(consumer(i), { name: `consumer-${i}` }));
  yield* createTask(producer(), { name: 'producer' });
  yield* jobs.join();
  for (let i = 0; i < consumers.length; i++) yield* jobs.put(null);
  const counts = yield* gather(consumers);
  console.log(`handled per consumer: ${counts.join(', ')} (total ${counts.reduce((a, b) => a + b, 0)})`);
}

run(main());
