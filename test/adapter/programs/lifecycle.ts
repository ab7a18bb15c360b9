// Every task ending the tests break on: one fails (its error awaited and caught), one is cancelled,
// one fails with nobody ever retrieving its exception. `// @name` markers label the lines.
import { run, createTask, sleep, type Coroutine } from 'loopscope';

function* failer(): Coroutine<void> {
  yield* sleep(5); // @failerSleep
  throw new TypeError('bad input'); // @throw
}

function* sleeper(): Coroutine<void> {
  yield* sleep(10_000); // @long
}

function* main(): Coroutine<void> {
  const f = createTask(failer(), { name: 'failer' });
  const s = createTask(sleeper(), { name: 'sleeper' });
  try {
    yield* f;
  } catch (e) {
    console.log(`caught ${(e as Error).name}: ${(e as Error).message}`);
  }
  s.cancel('no longer needed'); // @cancel
  try {
    yield* s;
  } catch (e) {
    console.log(`sleeper ended: ${(e as Error).name} ${(e as Error).message}`);
  }
  createTask(failer(), { name: 'forgotten' }); // never awaited: its exception is never retrieved
  yield* sleep(100);
  // With --expose-gc the forgotten task is collected now, and its exception reported while the loop runs.
  (globalThis as { gc?: () => void }).gc?.();
  yield* sleep(50);
  console.log('main done');
}

run(main());
