// Runs for about `argv[2]` ms (default 3000), ticking; for attach (LOOPSCOPE_LISTEN) tests.
import { run, createTask, sleep } from '../../../runtime/src/index';

function* ticker(name: string, ms: number, count: { n: number }) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    yield* sleep(10); // BP-TICK
    count.n++;
  }
}

function* main(ms: number) {
  const count = { n: 0 };
  const a = createTask(ticker('a', ms, count), { name: 'tick-a' });
  const b = createTask(ticker('b', ms, count), { name: 'tick-b' });
  yield* a;
  yield* b;
  return count.n;
}

run(main(Number(process.argv[2] ?? 3000)), { name: 'main' }).then((n) => console.log(`ticks ${n > 0 ? 'ok' : 'none'}`));
