// A small program for the agent's tests, run through tsx by test/agent/child.test.ts.
// Lines marked BP-... are where the tests set breakpoints (found by their marker, not by number).
import { run, createTask, sleep, Queue, Lock } from '../../../runtime/src/index';

function* fetcher(q: Queue<number>, n: number) {
  for (let i = 0; i < n; i++) {
    yield* sleep(2); // BP-FETCH
    yield* q.put(i);
  }
}

function* parser(q: Queue<number>, lock: Lock, out: number[]) {
  for (;;) {
    const v = yield* q.get(); // BP-PARSE
    yield* lock.acquire();
    try {
      yield* sleep(1);
      out.push(v);
    } finally {
      lock.release();
    }
    q.taskDone();
  }
}

function* main() {
  const q = new Queue<number>(2, { name: 'items' });
  const lock = new Lock({ name: 'out' });
  const out: number[] = [];
  const fetchers = [1, 2].map((i) => createTask(fetcher(q, 5), { name: `fetch-${i}` }));
  const parsers = [1, 2, 3].map((i) => createTask(parser(q, lock, out), { name: `parse-${i}` }));
  for (const f of fetchers) yield* f;
  yield* q.join();
  for (const p of parsers) p.cancel('no more input');
  return out.length;
}

run(main(), { name: 'main' }).then(
  (n) => console.log(`parsed ${n}`),
  (err) => {
    console.log(`failed: ${err}`);
    process.exitCode = 1;
  },
);
