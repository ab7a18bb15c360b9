// The main task raises: run() rejects, Node reports the unhandled rejection and exits with code 1.
import { run, sleep, type Coroutine } from 'loopscope';

function* main(): Coroutine<void> {
  yield* sleep(5);
  throw new Error('the main task crashed'); // @crash
}

run(main());
