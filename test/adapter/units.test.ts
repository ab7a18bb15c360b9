/**
 * The adapter's pure pieces, without a program: breakpoint conditions and the breakpoint book,
 * which tasks become threads, a task's stack frames, the task store, the launch plan.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TaskDetails, TaskRecord } from '../../runtime/src/protocol/wire';
import { BreakpointBook, PENDING_MESSAGE, parseHitCondition, parseTaskNameCondition } from '../../adapter/src/breakpoints';
import { selectThreads, Tier } from '../../adapter/src/threadSelection';
import { parseErrorStack, taskStackFrames } from '../../adapter/src/stackFrames';
import { TaskStore } from '../../adapter/src/taskStore';
import { jsDebugConfiguration, planLaunch } from '../../adapter/src/launcher';
import { PROGRAMS } from './harness';

function task(id: number, state: TaskRecord['state'], extra: Partial<TaskRecord> = {}): TaskRecord {
  return { id, name: `t${id}`, state, parentId: 0, since: id, steps: 1, cancelling: 0, ...extra };
}

describe('task-name conditions', () => {
  it.each([
    ['worker-*', 'worker-*'],
    ['  worker-2 ', 'worker-2'],
    ['name == "worker-*"', 'worker-*'],
    ["name === 'fetch page *'", 'fetch page *'],
    ['task==db', 'db'],
  ])('%j names the tasks %j', (condition, glob) => {
    expect(parseTaskNameCondition(condition)).toEqual({ ok: true, value: glob });
  });

  it('an empty condition is every task', () => {
    expect(parseTaskNameCondition('  ')).toEqual({ ok: true, value: undefined });
    expect(parseTaskNameCondition(undefined)).toEqual({ ok: true, value: undefined });
  });

  it.each(['i > 3', 'x && y', 'name == ""', 'name != "a"', 'f(x)'])('refuses %j with the accepted forms', (condition) => {
    const r = parseTaskNameCondition(condition);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/worker-\*.*name == "worker-\*"/);
  });
});

describe('hit conditions', () => {
  it.each([
    ['3', 3],
    ['>= 3', 3],
    ['>3', 4],
    [' 1 ', 1],
  ])('%j stops from hit %d on', (text, n) => {
    expect(parseHitCondition(text)).toEqual({ ok: true, value: n });
  });

  it.each(['0', '%2', '== 2', '-1', 'two'])('refuses %j', (text) => {
    expect(parseHitCondition(text).ok).toBe(false);
  });
});

describe('the breakpoint book', () => {
  const same = (l: number) => l;

  it('keeps every file, sends all of them, and refuses what the runtime cannot do', () => {
    const book = new BreakpointBook();
    const a = book.setSource('/p/a.ts', [{ line: 3 }, { line: 5, condition: 'w-*', hitCondition: '2', mode: 'resume' } as never, { line: 7, logMessage: 'x' }], same);
    book.setSource('/p/b.ts', [{ line: 9, condition: 'x > 1' }], same);
    expect(a.map((e) => e.verified)).toEqual([false, false, false]);
    expect(a[0].message).toBe(PENDING_MESSAGE);
    expect(a[2].message).toMatch(/logpoints/);
    expect(book.sourceWire()).toEqual([
      { id: a[0].id, file: '/p/a.ts', line: 3, mode: 'suspend' },
      { id: a[1].id, file: '/p/a.ts', line: 5, mode: 'resume', taskName: 'w-*', hitCount: 2 },
    ]);
    expect(book.hasSourceBreakpointAt('/p/a.ts', 5)).toBe(true);
    expect(book.hasSourceBreakpointAt('/p/a.ts', 7)).toBe(false);
    // Replacing a file's breakpoints drops its old ones only.
    book.setSource('/p/a.ts', [], same);
    expect(book.sourceWire()).toEqual([]);
  });

  it('records the runtime verdicts and reports only what changed', () => {
    const book = new BreakpointBook();
    const [e] = book.setSource('/p/a.ts', [{ line: 3 }], same);
    expect(book.applyVerification('source', [{ id: e.id, verified: false, message: 'no such line' }])).toEqual([{ ...e, verified: false, message: 'no such line' }]);
    expect(book.applyVerification('source', [{ id: e.id, verified: false, message: 'no such line' }])).toEqual([]);
    expect(book.markPending().map((x) => x.message)).toEqual([PENDING_MESSAGE]);
  });

  it('function breakpoints name tasks by glob or #id; once-breakpoints go away after their hit', () => {
    const book = new BreakpointBook();
    const [byName, byId, bad] = book.setFunctions([{ name: 'worker-*' }, { name: '#12' }, { name: 'a b' }]);
    expect(bad.verified).toBe(false);
    const once = book.addOnce(7);
    expect(book.taskWire()).toEqual([
      { id: byName.id, taskName: 'worker-*' },
      { id: byId.id, taskId: 12 },
      { id: once, taskId: 7, once: true },
    ]);
    expect(book.isFunctionBreakpoint(once)).toBe(true);
    book.dropOnce([once]);
    expect(book.taskWire()).toHaveLength(2);
  });

  it('lifecycle filters, with and without conditions', () => {
    const book = new BreakpointBook();
    const r = book.setLifecycle({ filters: ['taskFailed'], filterOptions: [{ filterId: 'taskCreated', condition: 'name == "w-*"' }, { filterId: 'nope' }] });
    expect(r.map((b) => b.verified)).toEqual([true, true, false]);
    expect(book.lifecycleWire()).toEqual([{ kind: 'taskFailed' }, { kind: 'taskCreated', taskName: 'w-*' }]);
  });
});

describe('thread selection', () => {
  const tasks = [
    task(1, 'suspended', { since: 50 }),
    task(2, 'ready'),
    task(3, 'ready'),
    task(4, 'suspended', { since: 10 }),
    task(5, 'done'),
    task(6, 'suspended', { since: 30, location: { file: '/a.ts', line: 4, column: 1, function: 'f' } }),
    task(7, 'running'),
  ];

  it('orders: stopped, pinned, running, ready (queue order), at a breakpoint, suspended longest first', () => {
    const { threads, total } = selectThreads({
      tasks,
      maxThreads: 10,
      stoppedTaskId: 4,
      pinned: [5],
      readyOrder: [3, 2],
      atBreakpoint: (t) => t.location?.line === 4,
    });
    expect(threads.map((t) => [t.task.id, t.tier])).toEqual([
      [4, Tier.Stopped],
      [5, Tier.Pinned],
      [7, Tier.Running],
      [3, Tier.Ready],
      [2, Tier.Ready],
      [6, Tier.AtBreakpoint],
      [1, Tier.Suspended],
    ]);
    expect(total).toBe(6);
  });

  it('cuts at maxThreads, keeping the best', () => {
    const { threads, total } = selectThreads({ tasks, maxThreads: 2, stoppedTaskId: 1 });
    expect(threads.map((t) => t.task.id)).toEqual([1, 7]);
    expect(total).toBe(6);
  });

  it('leaves finished tasks out unless stopped on', () => {
    expect(selectThreads({ tasks, maxThreads: 10 }).threads.map((t) => t.task.id)).not.toContain(5);
    expect(selectThreads({ tasks, maxThreads: 10, stoppedTaskId: 5 }).threads[0].task.id).toBe(5);
  });
});

describe('stack frames', () => {
  const env = () => {
    let next = 1;
    return { allocate: () => next++, line: (l: number) => l, column: (c: number) => c, path: (p: string) => p };
  };
  const ctx = { now: 0, task: () => undefined, resource: () => undefined };
  const details = (t: TaskRecord, extra: Partial<TaskDetails> = {}): TaskDetails => ({
    task: t,
    suspendStack: [],
    creationStack: [],
    creationChain: [],
    awaitingChain: [],
    awaitedBy: [],
    resources: [],
    children: [],
    ...extra,
  });
  const text = (frames: ReturnType<typeof taskStackFrames>) => frames.map((f) => (f.presentationHint === 'label' ? `-- ${f.name}` : `${f.name} ${f.source?.name}:${f.line}${f.presentationHint ? ` ${f.presentationHint}` : ''}`));

  it('the await chain with a label at each boundary, then who created the task and where', () => {
    const t = task(3, 'suspended', { parentId: 1 });
    const frames = taskStackFrames(
      details(t, {
        suspendStack: [
          { file: '/p/a.ts', line: 6, column: 3, function: 'inner' },
          { file: 'file:///p/a.ts', line: 13, column: 5, function: '' },
        ],
        creationStack: [{ file: '/p/a.ts', line: 19, column: 9, function: 'main' }],
        creationChain: [{ id: 1, name: 'main-task' }],
      }),
      ctx,
      env(),
    );
    expect(text(frames)).toEqual(['inner a.ts:6', '-- await', '(anonymous) a.ts:13', '-- created by main-task #1', 'main a.ts:19 subtle']);
    expect(frames[2].source?.path).toBe('/p/a.ts');
    expect(new Set(frames.map((f) => f.id)).size).toBe(frames.length);
  });

  it("a failed task's exception frames first; library frames deemphasized", () => {
    const t = task(4, 'failed', { error: { name: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at f (/p/a.ts:7:11)\n    at node:internal/x:1:1\n    at g (/p/node_modules/lib/x.js:2:3)' } });
    const frames = taskStackFrames(details(t), ctx, env());
    expect(text(frames)).toEqual(['-- failed: TypeError: bad', 'f a.ts:7', 'g x.js:2', '-- created by run()']);
    expect(frames[2].source?.presentationHint).toBe('deemphasize');
  });

  it('parses V8 stack lines, async ones included', () => {
    expect(parseErrorStack('Error: x\n    at async run (/p/r.ts:1:2)\n    at /p/s.ts:3:4')).toEqual([
      { file: '/p/r.ts', line: 1, column: 2, function: 'run' },
      { file: '/p/s.ts', line: 3, column: 4, function: '' },
    ]);
  });
});

describe('the task store', () => {
  it('applies a snapshot and later deltas, ignores stale ones, keeps forgotten tasks for look-ups', () => {
    const store = new TaskStore();
    store.applySnapshot({ type: 'snapshot', seq: 5, time: 100, loop: { id: 1, clock: 'virtual', paused: false }, tasks: [task(1, 'ready')], resources: [] });
    expect(store.applyDelta({ type: 'delta', seq: 4, time: 90, tasks: [task(1, 'done')] })).toBe(false);
    expect(store.get(1)?.state).toBe('ready');
    expect(store.applyDelta({ type: 'delta', seq: 9, time: 120, tasks: [task(1, 'done'), task(2, 'suspended', { parentId: 1 })], removed: [1] })).toBe(true);
    expect([...store.all()].map((t) => t.id)).toEqual([2]);
    expect(store.get(1)?.state).toBe('done');
    expect(store.childrenOf(1).map((t) => t.id)).toEqual([2]);
    expect(store.now()).toBe(120);
  });

  it("a real clock's time runs on between messages and stands still while stopped", async () => {
    const store = new TaskStore();
    store.applySnapshot({ type: 'snapshot', seq: 1, time: 1000, loop: { id: 1, clock: 'real', paused: false }, tasks: [], resources: [] });
    await new Promise((r) => setTimeout(r, 30));
    expect(store.now()).toBeGreaterThanOrEqual(1025);
    store.setStopped(true);
    const frozen = store.now();
    await new Promise((r) => setTimeout(r, 30));
    expect(store.now()).toBe(frozen);
  });
});

describe('the launch plan', () => {
  it('TypeScript runs through tsx with source maps; the runtime env is added to the user env', () => {
    const r = planLaunch({ program: join(PROGRAMS, 'workers.ts'), args: ['a'], env: { A: '1', B: null }, runtimeArgs: ['--expose-gc'] }, { LOOPSCOPE_CONNECT: 'h:1' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.nodeArgs.slice(0, 3)).toEqual(['--expose-gc', '--enable-source-maps', '--import']);
    expect(r.value.nodeArgs[3]).toMatch(/tsx\/dist\/loader\.mjs$/);
    expect(r.value.envChanges).toEqual({ A: '1', B: null, LOOPSCOPE_CONNECT: 'h:1' });
    expect(r.value.cwd).toBe(PROGRAMS);
    // tsx first, then the await-site transform (its ES module hooks then see compiled JavaScript).
    expect(r.value.nodeArgs.slice(4)).toEqual(['--import', r.value.sitesImport]);
    expect(r.value.sitesImport).toMatch(/\/register\.mjs$/);
    const js = jsDebugConfiguration({ program: r.value.program }, r.value);
    expect(js.runtimeArgs).toEqual(['--import', r.value.tsxImport, '--import', r.value.sitesImport]);
  });

  it('JavaScript runs with plain node, through the await-site transform', () => {
    const r = planLaunch({ program: join(PROGRAMS, 'no-runtime.js') }, {});
    expect(r.ok && r.value.nodeArgs).toEqual(['--enable-source-maps', '--import', r.ok && r.value.sitesImport]);
  });

  it('a relative program resolves against cwd; a missing cwd is named', () => {
    expect(planLaunch({ program: 'workers.ts', cwd: PROGRAMS }, {}).ok).toBe(true);
    const r = planLaunch({ program: 'workers.ts', cwd: '/no/such/dir' }, {});
    expect(!r.ok && r.message).toMatch(/working directory "\/no\/such\/dir" \('cwd'\) does not exist/);
  });
});
