// Freezing and thawing a task over a real socket: a frozen task takes no step while the others run,
// and nothing else about it changes (its timers fire, a cancel is delivered once thawed); thaw puts
// its held step at the end of the ready queue; the debugger leaving thaws everything.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather, Task, type Coroutine } from 'loopscope';
import { inProcessDebugger, until, type InProcess } from './helpers';
import { findStuck } from '../../runtime/src/protocol/forest';
import type { StoppedMessage } from '../../runtime/src/protocol/wire';

let dbg: InProcess | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
});

async function command<T>(d: InProcess, send: () => Promise<T>): Promise<StoppedMessage> {
  const stop = d.nextStop();
  await send();
  return stop;
}

/** examples/race.ts in a function: two deposits read, await, write (a lost update unless one runs alone). */
function race(log: string[]) {
  const account = { balance: 0 };
  function* deposit(name: string): Coroutine<void> {
    const read = account.balance;
    yield* sleep(20);
    account.balance = read + 1;
    log.push(`${name} wrote ${account.balance}`);
  }
  const main = (function* (): Coroutine<number> {
    const a = createTask(deposit('deposit-a'), { name: 'deposit-a' });
    const b = createTask(deposit('deposit-b'), { name: 'deposit-b' });
    yield* gather([a, b]);
    return account.balance;
  })();
  return { account, main };
}

/** Workers that log each step and give up the loop (sleep(0)) between steps. */
function stepper(names: string[], steps: number, log: string[], tasks: Task<unknown>[]) {
  function* worker(name: string): Coroutine<void> {
    for (let i = 0; i < steps; i++) {
      log.push(name);
      yield* sleep(0);
    }
  }
  return (function* (): Coroutine<string> {
    for (const n of names) tasks.push(createTask(worker(n), { name: n }));
    yield* gather(tasks);
    return 'ok';
  })();
}

describe('freeze and thaw a task', () => {
  it('without freezing, the two deposits race and one is lost (the bug the example shows)', async () => {
    const log: string[] = [];
    const { main } = race(log);
    expect(await run(main)).toBe(1);
    expect(log).toEqual(['deposit-a wrote 1', 'deposit-b wrote 1']);
  });

  it('freezing one of two racing tasks gives the other order: both deposits counted; the waiter is stuck because frozen until thawed', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const log: string[] = [];
    const { account, main } = race(log);
    const entry = d.nextStop();
    const result = run(main, { name: 'main' });
    await entry;
    // main's first step creates both deposits and suspends on gather.
    await command(d, () => d.conn.request('step', {}));
    const b = d.model.byName('deposit-b');
    expect(await d.conn.request('freezeTask', { taskId: b.id })).toEqual({ frozen: true });
    expect(await d.conn.request('freezeTask', { taskId: b.id })).toEqual({ frozen: false });
    // Stopped: the record goes out before the answer. Ready and frozen, and out of the ready queue.
    expect(d.model.tasks.get(b.id)).toMatchObject({ state: 'ready', frozen: true, steps: 0 });
    const ready = await d.conn.request('readyQueue', {});
    expect(ready.taskIds).toEqual([d.model.byName('deposit-a').id]);
    await d.conn.request('resume', {});

    // deposit-a runs its read-await-write alone; deposit-b has not even read.
    await until(() => log.length === 1 && d.model.byName('deposit-a').state === 'done' && d.model.byName('main').state === 'suspended', 10_000, 'deposit-a done');
    expect(log).toEqual(['deposit-a wrote 1']);
    expect(d.model.tasks.get(b.id)).toMatchObject({ state: 'ready', frozen: true, steps: 0 });
    // Nothing else can run: main is stuck because deposit-b is frozen (deposit-b itself is not stuck).
    const stuck = findStuck(d.model.tasks.values(), d.model.resources.values(), { now: 0 });
    expect(stuck).toEqual([{ taskId: d.model.byName('main').id, reason: 'frozen', text: 'stuck because frozen: deposit-b is frozen' }]);

    expect(await d.conn.request('thawTask', { taskId: b.id })).toEqual({ thawed: true });
    expect(await result).toBe(2);
    expect(log).toEqual(['deposit-a wrote 1', 'deposit-b wrote 2']);
    expect(account.balance).toBe(2);
    await until(() => d.model.tasks.get(b.id)?.state === 'done', 5000, 'deposit-b done in the model');
    expect(d.model.tasks.get(b.id)!.frozen).toBeUndefined();
  });

  it('thaw puts the held step at the end of the ready queue (after what became ready meanwhile)', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const log: string[] = [];
    const tasks: Task<unknown>[] = [];
    const entry = d.nextStop();
    const result = run(stepper(['w1', 'w2', 'w3'], 3, log, tasks), { name: 'main' });
    await entry;
    await command(d, () => d.conn.request('step', {}));
    const [w1, w2, w3] = tasks;
    expect((await d.conn.request('readyQueue', {})).taskIds).toEqual([w1.id, w2.id, w3.id]);
    await d.conn.request('freezeTask', { taskId: w1.id });
    expect((await d.conn.request('readyQueue', {})).taskIds).toEqual([w2.id, w3.id]);
    // One scheduler step: w1's step is held, w2 runs (w1 is not "next" while frozen).
    const s = await command(d, () => d.conn.request('step', {}));
    expect(s.taskId).toBe(w2.id);
    expect(log).toEqual(['w2']);
    // Stepping a frozen task would never end: refused.
    await expect(d.conn.request('stepTask', { taskId: w1.id })).rejects.toMatchObject({ code: 'not-ready', message: 'stepTask: w1 is frozen; thaw it first (thawTask)' });
    expect((await d.conn.request('readyQueue', {})).taskIds).toEqual([w3.id, w2.id]);
    expect(await d.conn.request('thawTask', { taskId: w1.id })).toEqual({ thawed: true });
    expect(await d.conn.request('thawTask', { taskId: w1.id })).toEqual({ thawed: false });
    expect((await d.conn.request('readyQueue', {})).taskIds).toEqual([w3.id, w2.id, w1.id]);
    for (let i = 0; i < 3; i++) await command(d, () => d.conn.request('step', {}));
    expect(log).toEqual(['w2', 'w3', 'w2', 'w1']);
    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
  });

  it("a frozen task's timer still fires (its wake-up is held), and a cancel is delivered when it is thawed", async () => {
    dbg = await inProcessDebugger();
    const d = dbg;
    const log: string[] = [];
    let sleeper: Task<unknown> | null = null;
    let stop = false;
    function* sleepy(): Coroutine<void> {
      yield* sleep(30);
      log.push('woke');
      yield* sleep(10_000);
    }
    function* ticker(): Coroutine<void> {
      while (!stop) yield* sleep(2);
    }
    const main = (function* (): Coroutine<string> {
      sleeper = createTask(sleepy(), { name: 'sleeper' });
      const t = createTask(ticker(), { name: 'ticker' });
      try {
        yield* sleeper;
      } catch (e) {
        log.push(`sleeper: ${(e as Error).name}`);
      }
      stop = true;
      yield* t;
      return 'ok';
    })();
    const result = run(main, { name: 'main' });
    await until(() => sleeper !== null && sleeper.steps() === 1, 5000, 'sleeper asleep');
    const id = sleeper!.id;
    await d.conn.request('freezeTask', { taskId: id });
    // The 30 ms timer fires: the task is woken (ready) but takes no step; the others run on.
    await until(() => d.model.tasks.get(id)?.state === 'ready', 10_000, 'the frozen sleeper woken');
    const ticks = d.model.byName('ticker').steps;
    await until(() => d.model.byName('ticker').steps > ticks + 5, 10_000, 'the ticker running on');
    expect(d.model.tasks.get(id)).toMatchObject({ state: 'ready', frozen: true, steps: 1 });
    expect(sleeper!.steps()).toBe(1);
    expect(log).toEqual([]);
    // Cancelled while frozen: requested (cancelling 1), not delivered.
    expect(await d.conn.request('cancelTask', { taskId: id })).toEqual({ cancelled: true });
    await until(() => d.model.tasks.get(id)?.cancelling === 1, 5000, 'the cancel requested');
    expect(sleeper!.done()).toBe(false);
    await d.conn.request('thawTask', { taskId: id });
    expect(await result).toBe('ok');
    // The held step was the timer's wake-up, and it carried the cancellation: CancelledError at the sleep.
    expect(log).toEqual(['sleeper: CancelledError']);
    expect(sleeper!.cancelled()).toBe(true);
  });

  it('the debugger leaving thaws every frozen task: the program ends as it would have', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const log: string[] = [];
    const { main } = race(log);
    const entry = d.nextStop();
    const result = run(main, { name: 'main' });
    await entry;
    await d.conn.request('setOptions', { freeze: ['deposit-*'] });
    await d.conn.request('resume', {});
    // Both deposits frozen as they were created: neither has run.
    await until(() => d.model.tasks.size === 3 && d.model.byName('deposit-b').frozen === true && d.model.byName('main').state === 'suspended', 5000, 'both frozen');
    expect(d.model.byName('deposit-a')).toMatchObject({ frozen: true, steps: 0 });
    expect(log).toEqual([]);
    d.cleanup();
    dbg = null;
    // Thawed in the order they became ready: a, then b (the race as without a debugger).
    expect(await result).toBe(1);
    expect(log).toEqual(['deposit-a wrote 1', 'deposit-b wrote 1']);
  });

  it('thawWhenIdle: frozen tasks run once nothing else can (the CLI --freeze rule)', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const log: string[] = [];
    const { main } = race(log);
    const entry = d.nextStop();
    const result = run(main, { name: 'main' });
    await entry;
    expect(await d.conn.request('setOptions', { freeze: ['deposit-a'], thawWhenIdle: true })).toMatchObject({ freeze: ['deposit-a'], thawWhenIdle: true });
    await d.conn.request('resume', {});
    // deposit-b first, alone; deposit-a is thawed when only it is left: it reads 1.
    expect(await result).toBe(2);
    expect(log).toEqual(['deposit-b wrote 1', 'deposit-a wrote 2']);
    await expect(d.conn.request('setOptions', { freeze: 'deposit-a' as unknown as string[] })).rejects.toMatchObject({ code: 'bad-arguments' });
  });
});
