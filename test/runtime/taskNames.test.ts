// Task names of any type become text, as asyncio's Task does with str(name) (in __init__ and
// set_name); a name whose conversion throws makes createTask throw, as str(name) raising makes
// create_task raise, and leaves nothing behind: the coroutine can still be given to a task.
import { describe, it, expect } from 'vitest';
import { run, createTask, sleep, Task, type Coroutine } from 'loopscope';

function* nap(): Coroutine<string> {
  yield* sleep(0);
  return 'napped';
}

describe('task names', () => {
  it('a number, a Symbol, an object: their text; none: Task-<id>; setName converts too', async () => {
    const names = await run(
      (function* () {
        const tasks = [
          createTask(nap(), { name: 42 as unknown as string }),
          createTask(nap(), { name: Symbol('s') as unknown as string }),
          createTask(nap(), { name: { toString: () => 'obj' } as unknown as string }),
          createTask(nap(), { name: null as unknown as string }),
        ];
        tasks[0].setName(7 as unknown as string);
        for (const t of tasks) yield* t;
        return tasks.map((t) => [typeof t.getName(), t.getName()]);
      })(),
    );
    expect(names.slice(0, 3)).toEqual([
      ['string', '7'],
      ['string', 'Symbol(s)'],
      ['string', 'obj'],
    ]);
    expect(names[3][1]).toMatch(/^Task-\d+$/);
  });

  it('a name whose conversion throws: createTask throws it, and the coroutine is still free', async () => {
    const result = await run(
      (function* () {
        const coro = nap();
        const hostile = {
          toString() {
            throw new RangeError('no text for you');
          },
        };
        let thrown: unknown;
        try {
          createTask(coro, { name: hostile as unknown as string });
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(RangeError);
        const t: Task<string> = createTask(coro, { name: 'second try' });
        return yield* t;
      })(),
    );
    expect(result).toBe('napped');
  });
});
