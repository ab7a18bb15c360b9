// A task that naps, then waits for an order that never comes: what it awaits changes once while the
// loop runs, then only the time it has waited does. main awaits it (the program runs until stopped).
import { run, createTask, sleep, Queue, type Coroutine } from 'loopscope';

function* mover(orders: Queue<string>): Coroutine<void> {
  yield* sleep(2000); // @nap
  const order = yield* orders.get(); // @get
  console.log(`got ${order}`);
}

function* main(): Coroutine<void> {
  const orders = new Queue<string>(0, { name: 'orders' });
  yield* createTask(mover(orders), { name: 'mover' }); // @await
}

run(main());
