// Two tasks add to a shared counter, each reading it, awaiting, then writing what it read plus one:
// the second write overwrites the first (a lost update), and the counter ends at 1, not 2.
// Freeze one of them (Tasks view: right-click › Freeze Task, or `loopscope run --freeze deposit-b`)
// and the other runs its read-await-write alone; thawed, the frozen one reads the new value: 2.
import { run, createTask, gather, sleep, type Coroutine } from 'loopscope';

let balance = 0;

function* deposit(name: string): Coroutine<void> {
  const read = balance; // both tasks read 0 here...
  yield* sleep(50); // ...because the other one runs during this await
  balance = read + 1; // ← the lost update: the second write overwrites the first
  console.log(`${name} wrote ${balance}`);
}

function* main(): Coroutine<void> {
  const a = createTask(deposit('deposit-a'), { name: 'deposit-a' });
  const b = createTask(deposit('deposit-b'), { name: 'deposit-b' });
  yield* gather([a, b]);
  console.log(`balance: ${balance} (${balance === 2 ? 'both deposits counted' : 'a deposit was lost'})`);
}

run(main());
