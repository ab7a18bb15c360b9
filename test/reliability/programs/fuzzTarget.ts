// The program the protocol fuzzers debug: tasks on every kind of wait (Lock, Event, Condition,
// Semaphore, Queue, gather, taskGroup, sleep, a cancellation of its own), printing what only the
// order of task steps decides, so that its output is the same alone and under any debugger. Its
// peak memory goes to stderr as `rss-peak <bytes>` (the fuzzers bound it; not part of the output).
// The loop's clock is virtual (its sleeps decide the order, not the machine's speed); between rounds
// the program waits 10 ms of real time, so that it lives long enough to be debugged.
// `argv[2]`: rounds (default 40).
import { run, createTask, sleep, gather, fromPromise, Lock, Event, Condition, Semaphore, Queue, taskGroup, CancelledError } from '../../../runtime/src/index';

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

function* round(r: number, log: string[]) {
  const lock = new Lock({ name: `lock-${r}` });
  const ev = new Event({ name: `event-${r}` });
  const cond = new Condition(undefined, { name: `cond-${r}` });
  const sem = new Semaphore(2, { name: `sem-${r}` });
  const q = new Queue<number>(2, { name: `queue-${r}` });
  let sum = 0;
  function* locker(i: number) {
    yield* lock.acquire();
    try {
      yield* sleep(1);
      sum += i;
    } finally {
      lock.release();
    }
  }
  function* eventWaiter(i: number) {
    yield* ev.wait();
    sum += i * 2;
  }
  function* condWaiter(i: number) {
    yield* cond.acquire();
    try {
      yield* cond.wait();
      sum += i * 3;
    } finally {
      cond.release();
    }
  }
  function* semUser(i: number) {
    yield* sem.acquire();
    try {
      yield* sleep(1);
      sum += i * 5;
    } finally {
      sem.release();
    }
  }
  function* producer() {
    for (let i = 0; i < 6; i++) yield* q.put(i);
  }
  function* consumer() {
    for (let i = 0; i < 6; i++) {
      sum += yield* q.get();
      q.taskDone();
    }
  }
  function* sleeper() {
    yield* sleep(1000);
  }
  const tasks = [
    ...[1, 2, 3].map((i) => createTask(locker(i), { name: `locker-${r}-${i}` })),
    ...[1, 2].map((i) => createTask(eventWaiter(i), { name: `event-${r}-${i}` })),
    ...[1, 2].map((i) => createTask(condWaiter(i), { name: `cond-${r}-${i}` })),
    ...[1, 2, 3].map((i) => createTask(semUser(i), { name: `sem-${r}-${i}` })),
    createTask(producer(), { name: `producer-${r}` }),
    createTask(consumer(), { name: `consumer-${r}` }),
  ];
  const doomed = createTask(sleeper(), { name: `doomed-${r}` });
  yield* sleep(2);
  ev.set();
  yield* cond.acquire();
  cond.notifyAll();
  cond.release();
  doomed.cancel(`round ${r} over`);
  yield* gather(tasks);
  yield* q.join();
  try {
    yield* doomed;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
  yield* taskGroup(function* (g) {
    for (let i = 0; i < 3; i++) g.createTask(sleep(1, i));
  });
  log.push(`round ${r}: ${sum}`);
}

function* main(rounds: number) {
  const log: string[] = [];
  for (let r = 0; r < rounds; r++) {
    yield* round(r, log);
    yield* fromPromise(new Promise((res) => setTimeout(res, 10)));
  }
  return log;
}

run(main(Number(process.argv[2] ?? 40)), { name: 'main', clock: 'virtual' }).then((log) => {
  clearInterval(sampler);
  console.log(log.join('\n'));
  process.stderr.write(`rss-peak ${peak}\n`);
});
