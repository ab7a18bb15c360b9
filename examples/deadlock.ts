// Two tasks take two locks in opposite order: each holds one and waits forever for the other.
// Loopscope shows both tasks suspended on `Lock.acquire`, each lock held by the other task,
// and flags the await cycle transfer-a → transfer-b → transfer-a.
import { run, createTask, sleep, Lock, type Coroutine } from 'loopscope';

const accounts = new Lock({ name: 'accounts' });
const ledger = new Lock({ name: 'ledger' });

function* transfer(first: Lock, second: Lock, amount: number): Coroutine<void> {
  yield* first.acquire();
  try {
    console.log(`holding ${first}, moving ${amount}`);
    yield* sleep(100); // long enough for the other task to take its first lock
    yield* second.acquire(); // ← both tasks stop here, forever
    try {
      console.log(`moved ${amount}`);
    } finally {
      second.release();
    }
  } finally {
    first.release();
  }
}

function* main(): Coroutine<void> {
  const a = createTask(transfer(accounts, ledger, 10), { name: 'transfer-a' });
  const b = createTask(transfer(ledger, accounts, 20), { name: 'transfer-b' });
  yield* a;
  yield* b;
  console.log('never printed: the transfers deadlock');
}

run(main());
