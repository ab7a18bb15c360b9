// A task that holds the loop for `argv[2]` ms (default 150) in one step: it resumes from a sleep at
// the line marked slow-resume, spins without yielding, and suspends next at the one marked
// slow-suspend. A task it created just before the spin waits in the ready queue all along.
// The program prints the hog's life as it measured it (outer: from before its creation to after it
// was awaited; inner: from its first line to its last), for the tests of time per task.
import { run, createTask, sleep } from '../../../runtime/src/index';

function* hog(ms: number, inner: number[]) {
  inner.push(performance.now());
  yield* sleep(5); // @slow-resume
  createTask(behind(), { name: 'behind' });
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: every other task waits
  }
  yield* sleep(100); // @slow-suspend
  inner.push(performance.now());
  return 'hogged';
}

function* behind() {
  yield* sleep(0);
}

function* waiter() {
  for (let i = 0; i < 10; i++) yield* sleep(5);
}

function* main(ms: number) {
  const w = createTask(waiter(), { name: 'waiter' });
  const inner: number[] = [];
  const t0 = performance.now();
  yield* createTask(hog(ms, inner), { name: 'hog' });
  const t1 = performance.now();
  yield* w;
  console.log(`life ${JSON.stringify({ outer: t1 - t0, inner: inner[1] - inner[0] })}`);
}

run(main(Number(process.argv[2] ?? 150)), { name: 'main' });
