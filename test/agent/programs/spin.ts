// A task that blocks the loop: it resumes from a sleep, then spins for `argv[2]` ms (default 1500)
// without yielding; a ticker shows the loop runs again afterwards. For the watchdog tests.
import { run, createTask, sleep } from '../../../runtime/src/index';

function* spinner(ms: number) {
  yield* sleep(5); // @spin-resume
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: the loop gets nothing back until this ends
  }
  return 'spun';
}

function* ticker() {
  for (let i = 0; i < 20; i++) yield* sleep(10);
}

function* main(ms: number) {
  const t = createTask(ticker(), { name: 'ticker' });
  yield* createTask(spinner(ms), { name: 'spinner-1' });
  yield* t;
}

run(main(Number(process.argv[2] ?? 1500)), { name: 'main' }).then(() => console.log('spin done'));
