/** Instruments: the lifecycle a debugger sees, and per-hook dispatch (a hook nobody implements is never called). */
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, Lock, Queue, Task, addInstrument, removeInstrument, type Instrument, type Coroutine } from 'loopscope';
import { hooks } from '../../runtime/src/hooks';

const installed: Instrument[] = [];
afterEach(() => {
  for (const i of installed.splice(0)) removeInstrument(i);
});
function install(i: Instrument): Instrument {
  addInstrument(i);
  installed.push(i);
  return i;
}

describe('instruments', () => {
  it('with none installed, every hook slot is empty (one null check per site)', () => {
    for (const [name, fns] of Object.entries(hooks)) expect(fns, name).toBeNull();
  });

  it('only the hooks an instrument implements are installed', () => {
    const i = install({ taskCreated() {} });
    expect(hooks.taskCreated).toHaveLength(1);
    expect(hooks.beforeTaskStep).toBeNull();
    expect(hooks.suspending).toBeNull();
    removeInstrument(i);
    expect(hooks.taskCreated).toBeNull();
  });

  it('reports a task lifecycle in order, with its parent and what it awaits', async () => {
    const events: string[] = [];
    const name = (t: Task<unknown>) => t.getName();
    install({
      taskCreated: (t, parent) => events.push(`created ${name(t)} by ${parent ? name(parent) : '-'}`),
      beforeTaskStep: (t) => events.push(`step ${name(t)}`),
      afterTaskStep: (t) => {
        const w = t.waitingOn();
        events.push(`after ${name(t)} ${t.done() ? 'done' : `awaits ${w === null ? 'one iteration' : w instanceof Task ? `task ${name(w)}` : w._waitKind}`}`);
      },
      taskDone: (t) => events.push(`done ${name(t)}`),
    });
    function* child(): Coroutine<number> {
      yield* sleep(1);
      return 1;
    }
    function* main(): Coroutine<void> {
      const t = createTask(child(), { name: 'child' });
      yield* t;
    }
    await run(main(), { name: 'main', clock: 'virtual' });
    expect(events).toEqual([
      'created main by -',
      'step main',
      'created child by main',
      'after main awaits task child',
      'step child',
      'after child awaits sleep',
      'step child',
      'after child done',
      'done child',
      'step main',
      'after main done',
      'done main',
    ]);
  });

  it('a task waiting on a lock or a queue awaits the resource itself (no edge missing)', async () => {
    const seen: Record<string, unknown> = {};
    install({
      afterTaskStep: (t) => {
        const w = t.waitingOn();
        if (w) seen[t.getName()] = `${w._waitKind} ${(w._waitOn as { name?: string })?.name ?? ''}`.trim();
      },
    });
    function* main(): Coroutine<void> {
      const lock = new Lock({ name: 'L' });
      const q = new Queue(0, { name: 'Q' });
      yield* lock.acquire();
      createTask(lock.acquire(), { name: 'locker' });
      createTask(q.get(), { name: 'getter' });
      yield* sleep(1);
      lock.release();
      q.putNowait(1);
      yield* sleep(1);
    }
    await run(main(), { clock: 'virtual' });
    expect(seen.locker).toBe('lock L');
    expect(seen.getter).toBe('queue.get Q');
  });

  it('an instrument that throws is reported, and the program runs on unchanged', async () => {
    const errors: string[] = [];
    const origWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => {
      errors.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      install({
        beforeTaskStep: () => {
          throw new Error('instrument bug');
        },
      });
      function* main(): Coroutine<number> {
        yield* sleep(0);
        return 7;
      }
      expect(await run(main())).toBe(7);
    } finally {
      process.stderr.write = origWrite;
    }
    expect(errors.join('')).toMatch(/instrument bug/);
  });

  it('several instruments on the per-step hooks are all called, in installation order, one throwing or not', async () => {
    const calls: string[] = [];
    const origWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      install({ beforeTaskStep: (t) => calls.push(`a:start:${t.getName()}`), afterTaskStep: () => calls.push('a:end') });
      install({
        taskScheduled: () => calls.push('b:scheduled'),
        beforeTaskStep: () => {
          calls.push('b:start');
          throw new Error('b is buggy');
        },
        afterTaskStep: () => calls.push('b:end'),
      });
      function* main(): Coroutine<number> {
        yield* sleep(0);
        return 1;
      }
      expect(await run(main(), { clock: 'virtual', name: 'main' })).toBe(1);
    } finally {
      process.stderr.write = origWrite;
    }
    // Two steps of the main task, each seen by both instruments in the order they were installed.
    expect(calls.filter((c) => c !== 'b:scheduled')).toEqual(['a:start:main', 'b:start', 'a:end', 'b:end', 'a:start:main', 'b:start', 'a:end', 'b:end']);
    expect(calls.filter((c) => c === 'b:scheduled').length).toBe(2);
  });
});
