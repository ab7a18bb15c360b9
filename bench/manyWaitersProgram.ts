// N tasks waiting on one Event while main sleeps, with a drift probe on Node's event loop (a 10 ms
// setInterval): prints the longest stall while the tasks are created and first run (the program's
// own work), and while they all wait (then only a debugger's work can stall it). Run by
// bench/manyWaiters.mts; env N (default 100000), SLEEP ms (default 5000).
import { run, createTask, sleep, Event, type Coroutine } from '../runtime/src/index';

const N = Number(process.env.N ?? 100_000);
let maxStall = 0;
let last = Date.now();
const probe = setInterval(() => {
  const now = Date.now();
  maxStall = Math.max(maxStall, now - last - 10);
  last = now;
}, 10);

function* waiter(ev: Event): Coroutine<void> {
  yield* ev.wait();
}

function* main(): Coroutine<void> {
  const ev = new Event({ name: 'go' });
  for (let i = 0; i < N; i++) createTask(waiter(ev), { name: `w${i}` });
  const t0 = Date.now();
  yield* sleep(300);
  const creating = maxStall;
  maxStall = 0;
  yield* sleep(Number(process.env.SLEEP ?? 5000) - 300);
  const waiting = maxStall;
  ev.set();
  console.log(JSON.stringify({ n: N, sleptMs: Date.now() - t0, stallCreatingMs: creating, stallWaitingMs: waiting }));
}

run(main()).then(() => clearInterval(probe));
