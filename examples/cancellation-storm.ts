// A TaskGroup whose child fails while its siblings hold resources: the group cancels every
// sibling, and each runs its `finally` cleanup (which itself awaits) before the group raises an
// ExceptionGroup. Loopscope shows the cancellations spreading, the cleanups running, and who
// cancelled whom.
import { run, sleep, taskGroup, Semaphore, ExceptionGroup, type Coroutine } from 'loopscope';

const connections = new Semaphore(3, { name: 'db-connections' });

function* query(id: number): Coroutine<void> {
  yield* connections.acquire();
  try {
    console.log(`query-${id}: connected`);
    yield* sleep(200 + id * 50);
    console.log(`query-${id}: done`);
  } finally {
    yield* sleep(30); // closing the connection takes a moment, even when cancelled
    connections.release();
    console.log(`query-${id}: connection closed`);
  }
}

function* failing(): Coroutine<void> {
  yield* sleep(120);
  throw new Error('upstream returned 503');
}

function* main(): Coroutine<void> {
  try {
    yield* taskGroup(function* (tg) {
      for (let i = 1; i <= 5; i++) tg.createTask(query(i), { name: `query-${i}` });
      tg.createTask(failing(), { name: 'health-check' });
    });
  } catch (err) {
    if (!(err instanceof ExceptionGroup)) throw err;
    console.log(`group failed: ${err.errors.map((e) => (e as Error).message).join('; ')}`);
  }
}

run(main());
