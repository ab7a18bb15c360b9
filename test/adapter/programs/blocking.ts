// A task that blocks the loop: it resumes from a sleep, then spins for `argv[2]` ms (default 3000)
// without yielding. For the blocked-loop tests (pause while blocked).
import { run, createTask, sleep } from 'loopscope';

function* spinner(ms: number) {
  yield* sleep(5); // @spin-resume
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: the loop gets nothing back until this ends
  }
  yield* sleep(5); // @after-spin
  return 'spun';
}

function* main(ms: number) {
  yield* createTask(spinner(ms), { name: 'spinner-1' });
  console.log('blocking done');
}

run(main(Number(process.argv[2] ?? 3000)), { name: 'main' });
