// Two tickers that run until cancelled; main gathers them, collecting their CancelledErrors.
import { run, createTask, sleep, gather, CancelledError, type Coroutine } from 'loopscope';

function* ticker(name: string): Coroutine<number> {
  let ticks = 0;
  try {
    for (;;) {
      yield* sleep(20); // @tick
      ticks++;
    }
  } catch (e) {
    if (e instanceof CancelledError) console.log(`${name} cancelled after ${ticks} ticks: ${e.message}`);
    throw e;
  }
}

function* main(): Coroutine<void> {
  const a = createTask(ticker('ticker-a'), { name: 'ticker-a' });
  const b = createTask(ticker('ticker-b'), { name: 'ticker-b' });
  const results = yield* gather([a, b], { returnExceptions: true }); // @gather
  console.log(`gather: ${(results as unknown[]).map((r) => (r instanceof Error ? r.name : String(r))).join(', ')}`);
}

run(main());
