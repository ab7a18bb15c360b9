// 100,000 tasks waiting on one Event: the debugger's picture is right at the first stop, and getting
// it there costs time linear in the tasks (each record used to copy and search the whole waiter list:
// minutes). Speed itself is measured by the benchmarks; this checks the picture, within a test's time.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, Event, currentTask } from 'loopscope';
import { MAX_WAITER_IDS } from '../../runtime/src/agent/awaits';
import { inProcessDebugger, until, type InProcess } from './helpers';

let dbg: InProcess | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
});

const N = 100_000;

describe('100,000 tasks', () => {
  it('the first stop shows every task suspended on the Event, in its place in line, and the Event with its waiter count', async () => {
    dbg = await inProcessDebugger();
    const d = dbg;
    const ids: number[] = [];
    const flag = { go: false };
    function* waiter(ev: Event) {
      yield* ev.wait();
    }
    function* main() {
      const ev = new Event({ name: 'start' });
      for (let i = 0; i < N; i++) ids.push(createTask(waiter(ev), { name: `w${i}` }).id);
      // Every waiter has suspended on the Event once this sleep ends (they ran in creation order).
      yield* sleep(1);
      flag.go = true;
      while (flag.go) yield* sleep(5);
      ev.set();
      return currentTask()!.id;
    }
    const done = run(main(), { name: 'main' });
    await until(() => flag.go, 60_000, 'every waiter to suspend');
    const stop = d.nextStop();
    await d.conn.request('pause', {});
    const stopped = await stop;
    expect(stopped.reason).toBe('pause');

    const tasks = [...d.model.tasks.values()].filter((t) => t.name.startsWith('w'));
    expect(tasks).toHaveLength(N);
    expect(tasks.filter((t) => t.state !== 'suspended').map((t) => `${t.name} ${t.state}`).slice(0, 5)).toEqual([]);
    const ev = tasks[0].awaiting as { kind: string; resourceId: number; position?: number };
    expect(ev.kind).toBe('event');
    for (const i of [0, 1, 4_999, 50_000, N - 1]) {
      expect(d.model.tasks.get(ids[i])!.awaiting).toEqual({ kind: 'event', resourceId: ev.resourceId, position: i });
    }
    const resource = d.model.resources.get(ev.resourceId)!;
    expect(resource).toMatchObject({ name: 'start', kind: 'event', value: 0, waiterCount: N });
    expect(resource.waiterIds).toEqual(ids.slice(0, MAX_WAITER_IDS));

    flag.go = false;
    await d.conn.request('resume', {});
    await done;
  }, 60_000);
});
