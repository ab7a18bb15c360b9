// A task waits on an Event that nobody will ever set: the setter was meant to run when the
// config loaded, but it returns early on the cached path. The program hangs with the waiter
// suspended on `Event.wait`; Loopscope shows it stuck, with no task able to wake it.
import { run, createTask, sleep, Event, type Coroutine } from 'loopscope';

const configReady = new Event({ name: 'config-ready' });
let cached = true;

function* loadConfig(): Coroutine<void> {
  yield* sleep(50);
  if (cached) return; // bug: the cached path forgets configReady.set()
  configReady.set();
}

function* server(): Coroutine<void> {
  console.log('server waiting for config');
  yield* configReady.wait(); // ← suspended forever
  console.log('server started');
}

function* main(): Coroutine<void> {
  createTask(loadConfig(), { name: 'load-config' });
  const s = createTask(server(), { name: 'server' });
  yield* s;
}

run(main());
