// Tasks with 50-character names, for the task-name pattern that a backtracking matcher takes
// exponential time on (test/agent/stops.test.ts). Prints 'done' and exits 0 when it ran through.
import { run, createTask, sleep, gather } from '../../../runtime/src/index';

function* worker() {
  for (let i = 0; i < 3; i++) yield* sleep(0);
}

function* main() {
  const names = Array.from({ length: 3 }, (_, i) => 'a'.repeat(49) + String(i));
  yield* gather(names.map((name) => createTask(worker(), { name })));
}

run(main(), { name: 'main' }).then(() => console.log('done'));
