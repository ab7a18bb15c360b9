// The debugger's hold on the loop, over a real socket: stop on entry, pause, step (exactly one task
// step), stepTask, stepOut, resume, task and lifecycle breakpoints, and refused commands.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather, Task, getRunningLoop, type EventLoop } from 'loopscope';
import { inProcessDebugger, until, type InProcess } from './helpers';
import type { StoppedMessage } from '../../runtime/src/protocol/wire';

let dbg: InProcess | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
});

/** Workers that each take `steps` steps (sleep(0) between them), gathered by main. */
function program(workers: number, steps: number, seen: { loop: EventLoop | null; tasks: Task<unknown>[] }) {
  function* worker() {
    for (let i = 0; i < steps; i++) yield* sleep(0);
    return steps;
  }
  return (function* main() {
    seen.loop = getRunningLoop();
    seen.tasks = Array.from({ length: workers }, (_, i) => createTask(worker(), { name: `worker-${i + 1}` }));
    yield* gather(seen.tasks);
    return 'ok';
  })();
}

async function command<T>(d: InProcess, send: () => Promise<T>): Promise<StoppedMessage> {
  const stop = d.nextStop();
  await send();
  return stop;
}

describe('agent control', () => {
  it('stops on entry, then steps exactly one task step at a time, in ready-queue order', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const seen = { loop: null as EventLoop | null, tasks: [] as Task<unknown>[] };
    const entry = d.nextStop();
    const result = run(program(3, 3, seen), { name: 'main' });
    const s0 = await entry;
    expect(s0).toMatchObject({ reason: 'entry', description: 'stopped on entry, before main starts' });
    const mainId = s0.taskId!;
    expect(d.model.tasks.get(mainId)).toMatchObject({ name: 'main', state: 'ready', steps: 0 });

    const s1 = await command(d, () => d.conn.request('step', {}));
    expect(s1).toMatchObject({ reason: 'step', taskId: mainId });
    expect(s1.description).toMatch(/^main stepped: now suspended/);
    const [w1, w2, w3] = seen.tasks;
    expect(s1.nextTaskId).toBe(w1.id);
    expect(seen.tasks.map((t) => t.steps())).toEqual([0, 0, 0]);

    // Each step runs the next task in the ready queue, exactly once.
    const order: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = await command(d, () => d.conn.request('step', {}));
      expect(s.reason).toBe('step');
      order.push(s.taskId!);
    }
    expect(order).toEqual([w1.id, w2.id, w3.id, w1.id]);
    expect(seen.tasks.map((t) => t.steps())).toEqual([2, 1, 1]);
    // The model agrees (the stop is sent after the changes that led to it).
    expect(d.model.tasks.get(w1.id)).toMatchObject({ steps: 2, state: 'ready' });
    expect(d.model.tasks.get(mainId)).toMatchObject({ steps: 1, state: 'suspended', awaiting: { kind: 'gather' } });

    // While stopped nothing runs, and the loop's clock stands still.
    const t0 = seen.loop!.time();
    await new Promise((r) => setTimeout(r, 40));
    expect(seen.tasks.map((t) => t.steps())).toEqual([2, 1, 1]);
    expect(seen.loop!.time()).toBe(t0);

    // Every stop after a command is announced by `continued` first.
    const sinceEntry = d.log.slice(d.log.indexOf('stopped'));
    const pairs = sinceEntry.filter((t) => t === 'stopped' || t === 'continued').join(' ');
    expect(pairs).toBe('stopped' + ' continued stopped'.repeat(5));

    // stepTask: run until worker-3's next step ends; stepOut: until worker-2 finishes.
    const s2 = await command(d, () => d.conn.request('stepTask', { taskId: w3.id }));
    expect(s2).toMatchObject({ reason: 'step', taskId: w3.id });
    expect(w3.steps()).toBe(2);
    const s3 = await command(d, () => d.conn.request('stepOut', { taskId: w2.id }));
    expect(s3).toMatchObject({ reason: 'step', taskId: w2.id });
    expect(s3.description).toBe('worker-2 stepped: it finished (done)');
    expect(w2.done()).toBe(true);

    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
  });

  it('pauses a running program at the next task switch and resumes it', async () => {
    dbg = await inProcessDebugger();
    const d = dbg;
    const seen = { loop: null as EventLoop | null, tasks: [] as Task<unknown>[] };
    const result = run(program(4, 20_000, seen), { name: 'main' });
    await until(() => seen.tasks.length > 0 && seen.tasks[0].steps() > 100, 10_000, 'workers running');
    const s = await command(d, () => d.conn.request('pause', {}));
    expect(s.reason).toBe('pause');
    expect(s.taskId).toBe(s.nextTaskId);
    expect(seen.tasks.map((t) => t.id)).toContain(s.nextTaskId);
    const before = seen.tasks.map((t) => t.steps());
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.tasks.map((t) => t.steps())).toEqual(before);
    const ready = await d.conn.request('readyQueue', {});
    expect(ready.taskIds[0]).toBe(s.nextTaskId);
    // A second pause while stopped changes nothing.
    expect(await d.conn.request('pause', {})).toEqual({ paused: true });
    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
    expect(seen.tasks.every((t) => t.steps() === 20_001)).toBe(true);
  });

  it('a task breakpoint stops before that task resumes; once: only the first time', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    const seen = { loop: null as EventLoop | null, tasks: [] as Task<unknown>[] };
    const entry = d.nextStop();
    const result = run(program(3, 3, seen), { name: 'main' });
    await entry;
    await d.conn.request('setTaskBreakpoints', { breakpoints: [{ id: 7, taskName: 'worker-2', once: true }] });
    const s = await command(d, () => d.conn.request('resume', {}));
    const w2 = seen.tasks[1];
    // It has not run yet: it is about to start (a task that ran would be "about to resume from <where>").
    expect(s).toMatchObject({ reason: 'breakpoint', taskId: w2.id, breakpointIds: [7], description: 'worker-2 is about to start' });
    expect(w2.steps()).toBe(0);
    // The stop carries what a debugger shows first: the ready queue (worker-2 at its head) and the task.
    expect(s.readyQueue!.taskIds[0]).toBe(w2.id);
    expect(s.readyQueue!.taskIds).toEqual(expect.arrayContaining([seen.tasks[2].id]));
    expect(s.task).toMatchObject({ task: { id: w2.id, name: 'worker-2' } });
    // Stepping now runs exactly the task that hit the breakpoint.
    const s2 = await command(d, () => d.conn.request('step', {}));
    expect(s2.taskId).toBe(w2.id);
    expect(w2.steps()).toBe(1);
    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
    expect(d.stops.filter((x) => x.reason === 'breakpoint')).toHaveLength(1);
  });

  it('lifecycle breakpoints: a task created, a task failing (by name), a task cancelled', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    function* bad() {
      yield* sleep(1);
      throw new RangeError('out of range');
    }
    function* main() {
      const b = createTask(bad(), { name: 'bad-1' });
      const victim = createTask(sleep(10_000), { name: 'victim' });
      yield* sleep(5);
      victim.cancel('enough');
      try {
        yield* b;
      } catch {
        /* expected */
      }
      try {
        yield* victim;
      } catch {
        /* cancelled */
      }
      return 'ok';
    }
    const entry = d.nextStop();
    const result = run(main(), { name: 'main' });
    await entry;
    await d.conn.request('setLifecycleBreakpoints', {
      breakpoints: [{ kind: 'taskCreated', taskName: 'vic*' }, { kind: 'taskFailed', taskName: 'bad-*' }, { kind: 'taskCancelled' }],
    });
    const created = await command(d, () => d.conn.request('resume', {}));
    expect(created.reason).toBe('taskCreated');
    expect(d.model.tasks.get(created.taskId!)?.name).toBe('victim');
    const failed = await command(d, () => d.conn.request('resume', {}));
    expect(failed.reason).toBe('taskFailed');
    expect(d.model.tasks.get(failed.taskId!)).toMatchObject({ name: 'bad-1', state: 'failed', error: { name: 'RangeError' } });
    expect(failed.description).toBe('bad-1 failed: RangeError: out of range');
    const cancelled = await command(d, () => d.conn.request('resume', {}));
    // main called victim.cancel(): the stop and the record say who cancelled it.
    expect(cancelled).toMatchObject({ reason: 'taskCancelled', description: 'victim was cancelled by main' });
    expect(d.model.tasks.get(cancelled.taskId!)).toMatchObject({ state: 'cancelled', cancelMessage: 'enough', cancelledBy: d.model.byName('main').id });
    await d.conn.request('setLifecycleBreakpoints', { breakpoints: [] });
    await d.conn.request('resume', {});
    expect(await result).toBe('ok');
  });

  it('refuses what it cannot do, with a code and a message, and the program carries on', async () => {
    dbg = await inProcessDebugger();
    const d = dbg;
    const seen = { loop: null as EventLoop | null, tasks: [] as Task<unknown>[] };
    const result = run(program(2, 2000, seen), { name: 'main' });
    await until(() => seen.tasks.length > 0);
    await expect(d.conn.request('step', {})).rejects.toMatchObject({ code: 'not-ready', message: 'step: the loop is running; pause it first' });
    await expect(d.conn.request('taskDetails', { taskId: 'x' as unknown as number })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(d.conn.request('taskDetails', { taskId: 123_456 })).rejects.toMatchObject({ code: 'unknown-task' });
    await expect(d.conn.request('nope' as 'pause', {})).rejects.toMatchObject({ code: 'unknown-command' });
    await expect(d.conn.request('setOptions', { stacks: 'sometimes' as 'off' })).rejects.toMatchObject({ code: 'bad-arguments' });
    const bps = await d.conn.request('setBreakpoints', { breakpoints: [{ id: 1, file: 'relative.ts', line: 3 }, { id: 2, file: '/abs/x.ts', line: 0 }, { id: 3, file: '/abs/x.ts', line: 4 }] });
    expect(bps.breakpoints).toEqual([
      { id: 1, verified: false, message: 'the file must be an absolute path, got "relative.ts"' },
      { id: 2, verified: false, message: 'the line must be a positive integer, got 0' },
      { id: 3, verified: true },
    ]);
    expect(await result).toBe('ok');
  });
});
