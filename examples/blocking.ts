// Tasks that do not give the loop back: one parses a huge JSON document synchronously, one runs a
// busy loop. While either runs, no other task runs (the heartbeat falls behind), and Loopscope's
// watchdog says which task holds the loop and the line it resumed at: "loop blocked 1.2 s by
// checksum (#4) at blocking.ts:35". Pause meanwhile: answered at once, the stop comes when the
// task gives the loop back (in VS Code the JavaScript debugger shows where the step is spinning).
import { run, createTask, sleep, type Coroutine } from 'loopscope';

/** Ticks every 100 ms and says when a tick came late: the loop's lag, as the program sees it. */
function* heartbeat(ticks: number): Coroutine<void> {
  let last = Date.now();
  for (let i = 0; i < ticks; i++) {
    yield* sleep(100);
    const now = Date.now();
    if (now - last > 300) console.log(`heartbeat: ${now - last} ms since the last tick: the loop was blocked`);
    last = now;
  }
}

/** A report downloaded as text, piece by piece (other tasks run between pieces), then parsed in one synchronous JSON.parse. */
function* parseReport(items: number): Coroutine<number> {
  const pieces: string[] = [];
  for (let i = 0; i < items; i += 10_000) {
    const chunk = Array.from({ length: Math.min(10_000, items - i) }, (_, k) => ({ id: i + k, name: `item-${i + k}`, tags: ['a', 'b', 'c'], price: (i + k) * 0.5 }));
    pieces.push(JSON.stringify(chunk).slice(1, -1));
    yield* sleep(0); // the next piece of the download
  }
  const text = `{"items":[${pieces.join(',')}]}`;
  yield* sleep(10); // the download finished
  const report = JSON.parse(text) as { items: unknown[] }; // blocks the loop while it parses
  return report.items.length;
}

/** Counts primes the slow way, in one step. */
function* checksum(limit: number): Coroutine<number> {
  yield* sleep(1500); // the next batch is due
  let primes = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes++;
  }
  return primes;
}

function* main(): Coroutine<void> {
  const beat = createTask(heartbeat(15), { name: 'heartbeat' });
  const parsed = createTask(parseReport(400_000), { name: 'parse-report' });
  const counted = createTask(checksum(3_000_000), { name: 'checksum' });
  console.log(`parsed ${yield* parsed} items; ${yield* counted} primes`);
  yield* beat;
}

run(main());
