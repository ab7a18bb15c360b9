// Twenty sleepers gathered by main: more tasks than the Call Stack lists with a small maxThreads.
import { run, createTask, sleep, gather, type Coroutine } from 'loopscope';

function* sleeper(ms: number): Coroutine<number> {
  yield* sleep(ms); // @nap
  return ms;
}

function* main(): Coroutine<void> {
  const tasks = Array.from({ length: 20 }, (_, i) => createTask(sleeper(50 + i * 5), { name: `sleeper-${i + 1}` }));
  const done = yield* gather(tasks); // @gather
  console.log(`slept ${done.length} times`);
}

run(main());
