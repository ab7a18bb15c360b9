// Many short tasks, then the end: enough for the agent to have far more to send than a debugger that
// stopped reading takes in. Prints a line at its end (the test checks the program got there and exited).
import { run, createTask, sleep, gather } from '../../../runtime/src/index';

function* worker(i: number) {
  for (let s = 0; s < 3; s++) yield* sleep(0);
  return i;
}

function* main(n: number) {
  const results = yield* gather(Array.from({ length: n }, (_, i) => createTask(worker(i), { name: `chatty-worker-number-${i}` })));
  return results.length;
}

run(main(Number(process.argv[2] ?? 20000)), { name: 'main' }).then((n) => console.log(`finished ${n}`));
