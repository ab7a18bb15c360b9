// A task that holds the loop in one long step: `loader` downloads a report piece by piece (short
// steps, other tasks run between them), then joins and parses the whole report with one synchronous
// JSON.parse. Nothing else runs meanwhile: the ticker's ticks come late and the workers, which give
// the loop back after each item, wait in the ready queue. Loopscope reports the step as asyncio's
// debug mode would ("Executing loader took 0.180 seconds (resumed at slow-step.ts:23, suspended at
// slow-step.ts:32)": the step began where download() waited for its last piece), warns at that
// line, and shows each task's busy, scheduled and idle time: the loader busy, the workers scheduled
// (ready, waiting their turn) while it parsed.
import { run, createTask, sleep, type Coroutine } from 'loopscope';

interface Row {
  id: number;
  name: string;
  price: number;
}

/** A report of `items` rows, downloaded in pieces of 1,000 rows (each piece one short step). */
function* download(items: number): Coroutine<string> {
  const pieces: string[] = [];
  for (let i = 0; i < items; i += 1000) {
    const rows: Row[] = Array.from({ length: Math.min(1000, items - i) }, (_, k) => ({ id: i + k, name: `item-${i + k}`, price: ((i + k) % 997) / 10 }));
    pieces.push(JSON.stringify(rows).slice(1, -1));
    yield* sleep(0); // the next piece arrives
  }
  return `[${pieces.join(',')}]`;
}

function* loader(items: number): Coroutine<number> {
  const text = yield* download(items);
  const rows = JSON.parse(text) as Row[]; // ← one synchronous parse: the loop is held until it returns
  const total = rows.reduce((sum, r) => sum + r.price, 0);
  yield* sleep(10); // saving the total
  return total;
}

/** Cooperative work: one small item per step, giving the loop back between items (`yield* sleep(0)`). */
function* worker(items: number): Coroutine<number> {
  let sum = 0;
  for (let i = 0; i < items; i++) {
    for (let k = 0; k < 1000; k++) sum += (i * k) % 7;
    yield* sleep(0); // the next item: other tasks run in between
  }
  return sum;
}

/** Ticks every 20 ms and keeps how late its worst tick was: the loop's lag, as the program sees it. */
function* ticker(ticks: number): Coroutine<number> {
  let worst = 0;
  for (let i = 0; i < ticks; i++) {
    const t = performance.now();
    yield* sleep(20);
    worst = Math.max(worst, performance.now() - t - 20);
  }
  return worst;
}

function* main(): Coroutine<void> {
  const tick = createTask(ticker(40), { name: 'ticker' });
  for (let w = 1; w <= 3; w++) createTask(worker(3000), { name: `worker-${w}` });
  const total = yield* createTask(loader(200_000), { name: 'loader' });
  const late = yield* tick;
  console.log(`report total ${total.toFixed(1)}; the ticker's worst tick was ${Math.round(late)} ms late`);
}

run(main());
