import { describe, expect, it, vi } from 'vitest';
import { TaskModel } from '../../runtime/src/cli/model';
import { analyze, renderJson, renderText, type View } from '../../runtime/src/cli/render';
import { LiveScreen } from '../../runtime/src/cli/screen';
import { lock, task, waiting } from './records';

describe('TaskModel', () => {
  const snapshot = (tasks = [task(1, 'main', 'running')]) => ({ type: 'snapshot' as const, seq: 0, time: 100, loop: { id: 1, clock: 'real' as const, paused: false }, tasks, resources: [] });

  it('applies a snapshot then deltas, and estimates loop time between messages on a real clock', () => {
    const m = new TaskModel();
    m.applySnapshot(snapshot(), 1_000);
    expect(m.loaded).toBe(true);
    expect(m.now(1_500)).toBe(600);
    m.applyDelta({ type: 'delta', seq: 1, time: 300, tasks: [task(1, 'main', 'suspended', { steps: 2 }), task(2, 'w', 'ready', { parentId: 1 })], resources: [lock(5, 'db')] }, 1_200);
    expect([...m.tasks.keys()]).toEqual([1, 2]);
    expect(m.resources.get(5)?.name).toBe('db');
    expect(m.now(1_200)).toBe(300);
    m.loop = { id: 1, clock: 'virtual', paused: false };
    expect(m.now(9_999)).toBe(300); // a virtual clock only moves with the loop
  });

  it('progress is a step run, a state change or a new task, not a repeated record', () => {
    const m = new TaskModel();
    m.applySnapshot(snapshot([task(1, 'main', 'suspended', { steps: 3 })]), 1_000);
    m.applyDelta({ type: 'delta', seq: 1, time: 200, tasks: [task(1, 'main', 'suspended', { steps: 3 })] }, 2_000);
    expect(m.lastProgressAt).toBe(1_000);
    m.applyDelta({ type: 'delta', seq: 2, time: 300, tasks: [task(1, 'main', 'suspended', { steps: 4 })] }, 3_000);
    expect(m.lastProgressAt).toBe(3_000);
    m.applyDelta({ type: 'delta', seq: 3, time: 400, tasks: [task(2, 'new', 'ready')] }, 4_000);
    expect(m.lastProgressAt).toBe(4_000);
  });

  it('counts the tasks the runtime never sent (it dropped them while we were behind)', () => {
    const m = new TaskModel();
    m.applySnapshot(snapshot(), 0);
    m.applyDelta({ type: 'delta', seq: 1, time: 1, tasks: [], droppedTasks: 40 }, 1);
    m.applyDelta({ type: 'delta', seq: 2, time: 2, tasks: [], droppedTasks: 2 }, 2);
    expect(m.droppedTasks).toBe(42);
  });

  it('keeps forgotten finished tasks, but at most 5000, successful ones dropped first', () => {
    const m = new TaskModel();
    m.applySnapshot(snapshot([]), 0);
    m.applyDelta({ type: 'delta', seq: 1, time: 1, tasks: [task(1, 'bad', 'failed')], removed: [1] }, 1);
    const many = Array.from({ length: 5100 }, (_, i) => task(10 + i, `t${i}`, 'done'));
    m.applyDelta({ type: 'delta', seq: 2, time: 2, tasks: many, removed: many.map((t) => t.id) }, 2);
    expect(m.tasks.size).toBe(5000);
    expect(m.tasks.get(1)?.state).toBe('failed');
    expect(m.tasks.has(10)).toBe(false);
    expect(m.tasks.has(5109)).toBe(true);
  });
});

describe('render', () => {
  const deadlock: View = {
    now: 2_000,
    tasks: [
      waiting(1, 'main', { kind: 'task', taskId: 2 }, { since: 100 }),
      waiting(2, 'transfer-a', { kind: 'lock', resourceId: 21, holderId: 3, position: 0 }, { parentId: 1, since: 100, location: { file: '/x/deadlock.ts', line: 14, column: 5, function: 'transfer' } }),
      waiting(3, 'transfer-b', { kind: 'lock', resourceId: 20, holderId: 2, position: 0 }, { parentId: 1, since: 100 }),
      task(4, 'logger', 'done', { parentId: 1 }),
    ],
    resources: [lock(20, 'accounts', 2, [3]), lock(21, 'ledger', 3, [2])],
  };

  it('text: the tree, each lock and its holder, the cycle and the stuck tasks', () => {
    const lines = renderText(deadlock, analyze(deadlock), { color: false });
    expect(lines).toEqual([
      'main #1 suspended 1.9 s: task transfer-a  ✖ stuck: waits for transfer-a, which is stuck',
      '├─ transfer-a #2 suspended 1.9 s at deadlock.ts:14: Lock ledger held by transfer-b (1st in line)  ⟲ on an await cycle',
      '└─ transfer-b #3 suspended 1.9 s: Lock accounts held by transfer-a (1st in line)  ⟲ on an await cycle',
      '(1 finished task not shown; --all shows them)',
      '',
      '⟲ await cycle (deadlock): transfer-a → transfer-b → transfer-a',
      '✖ 3 stuck tasks: main (waits for transfer-a, which is stuck); transfer-a, transfer-b (await cycle transfer-a → transfer-b → transfer-a)',
    ]);
  });

  it('--all shows finished tasks; color wraps names and states; width cuts lines', () => {
    expect(renderText(deadlock, analyze(deadlock, { all: true }), { color: false })).toContain('└─ logger #4 done');
    const colored = renderText(deadlock, analyze(deadlock), { color: true });
    expect(colored[0]).toContain('\x1b[1mmain\x1b[0m');
    expect(colored[0]).toContain('\x1b[33msuspended\x1b[0m');
    const cut = renderText(deadlock, analyze(deadlock), { color: true, width: 20 });
    expect(cut[1].replace(/\x1b\[[0-9;]*m/g, '')).toBe('├─ transfer-a #2 su…'); // 20 columns, the last one the ellipsis
  });

  it('a parent finished while its children live stays, to hold them', () => {
    const v: View = { now: 0, tasks: [task(1, 'main', 'suspended'), task(2, 'spawner', 'done', { parentId: 1 }), task(3, 'orphan', 'ready', { parentId: 2 })], resources: [] };
    expect(renderText(v, analyze(v), { color: false })).toEqual(['main #1 suspended', '└─ spawner #2 done', '   └─ orphan #3 ready']);
  });

  it('no tasks', () => {
    const v: View = { now: 0, tasks: [], resources: [] };
    expect(renderText(v, analyze(v), { color: false })).toEqual(['no tasks']);
  });

  it('JSON: the unfolded tree with words and flags, and the raw records', () => {
    const j = renderJson(deadlock, analyze(deadlock), { reason: 'stuck', program: 'deadlock.ts', idleMs: 1500 });
    expect(j.reason).toBe('stuck');
    expect(j.idle).toBe('1.5 s');
    expect(j.cycles).toEqual([{ ids: [2, 3], names: ['transfer-a', 'transfer-b'] }]);
    expect(j.tree[0].stuck).toEqual({ reason: 'waits-on-stuck', text: 'waits for transfer-a, which is stuck' });
    expect(j.tree[0].children.map((c) => [c.name, c.awaiting, c.onCycle])).toEqual([
      ['transfer-a', 'Lock ledger held by transfer-b (1st in line)', true],
      ['transfer-b', 'Lock accounts held by transfer-a (1st in line)', true],
    ]);
    expect(j.tasks).toHaveLength(4);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('LiveScreen', () => {
  const fakeTerminal = () => {
    const writes: string[] = [];
    return { writes, out: { write: (s: string | Uint8Array) => (writes.push(String(s)), true), rows: 10, columns: 80 } };
  };

  it('draws at most every 100 ms, erasing the previous frame in place', () => {
    vi.useFakeTimers();
    try {
      const { writes, out } = fakeTerminal();
      const screen = new LiveScreen(out);
      screen.update(() => ['a', 'b']);
      vi.advanceTimersByTime(0);
      expect(writes).toEqual(['a\x1b[K\nb\x1b[K\n']);
      screen.update(() => ['c']);
      screen.update(() => ['d']); // the newer frame replaces the pending one
      vi.advanceTimersByTime(50);
      expect(writes).toHaveLength(1);
      vi.advanceTimersByTime(60);
      expect(writes.slice(1)).toEqual(['\x1b[2F\x1b[J', 'd\x1b[K\n']);
      screen.close();
      expect(writes.at(-1)).toBe('\x1b[1F\x1b[J');
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes the program’s whole lines above the tree; a partial line waits, then shows alone', () => {
    vi.useFakeTimers();
    try {
      const { writes, out } = fakeTerminal();
      const screen = new LiveScreen(out);
      screen.update(() => ['tree']);
      vi.advanceTimersByTime(0);
      writes.length = 0;
      screen.programOutput('hello\nwor');
      expect(writes).toEqual(['\x1b[1F\x1b[J', 'hello\n']);
      screen.update(() => ['tree2']);
      vi.advanceTimersByTime(150);
      expect(writes.slice(2)).toEqual(['tree2\x1b[K\n']);
      vi.advanceTimersByTime(100); // the partial line is due: the tree goes, the prompt shows
      expect(writes.slice(3)).toEqual(['\x1b[1F\x1b[J', 'wor']);
      screen.update(() => ['tree3']);
      vi.advanceTimersByTime(500);
      expect(writes).toHaveLength(5); // no tree while the cursor is mid-line
      screen.programOutput('ld\n');
      expect(writes.slice(5)).toEqual(['ld\n', 'tree3\x1b[K\n']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a frame taller than the terminal is cut with a note', () => {
    vi.useFakeTimers();
    try {
      const { writes, out } = fakeTerminal();
      new LiveScreen(out).update(() => Array.from({ length: 30 }, (_, i) => `line ${i}`));
      vi.advanceTimersByTime(0);
      const lines = writes[0].split('\n').filter(Boolean);
      expect(lines).toHaveLength(9);
      expect(lines[8]).toContain('… 22 more lines');
    } finally {
      vi.useRealTimers();
    }
  });
});
