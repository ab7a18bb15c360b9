import { describe, it, expect } from 'vitest';
import { run, createTask, sleep, type Coroutine } from 'loopscope';

describe('the seed example (asyncio intro)', () => {
  it('runs the creator to its end before the new task starts, and run() cancels the task at its sleep', async () => {
    const log: string[] = [];
    function* myTask(): Coroutine<void> {
      log.push('myTask starts');
      yield* sleep(10_000);
      log.push('myTask ends');
    }
    function* myFunc(): Coroutine<void> {
      log.push('Creating myTask');
      createTask(myTask(), { name: 'myTask' });
      log.push('Created myTask');
      for (let i = 0; i < 10; i++) log.push(String(i));
    }
    await run(myFunc());
    expect(log).toEqual(['Creating myTask', 'Created myTask', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'myTask starts']);
  });
});
