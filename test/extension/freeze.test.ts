// Freeze Task / Thaw Task in the Tasks view: the context action on the row sends the custom request,
// the menus offer whichever applies, a frozen row says "❄ frozen", and the status bar and the view's
// message say how many tasks are frozen and, when they hold others up, which.
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { readFileSync } from 'node:fs';
import { activateWithSession, type Harness } from './harness';
import { fake } from './fakes/vscode';
import { task, snapshot, delta, frame } from './records';
import type { TaskRecord } from '../../runtime/src/protocol/wire';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';
import type { TreeNode } from '../../extension/src/model/treeNodes';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.useRealTimers();
});

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** examples/race.ts after deposit-a finished: main waits on deposit-b alone. */
const race = (bFrozen: boolean): TaskRecord[] => [
  task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'gather', taskIds: [3], total: 2 }, location: frame('/w/race.ts', 19, 'main') }),
  task(2, { name: 'deposit-a', parentId: 1, state: 'done', steps: 2 }),
  task(3, { name: 'deposit-b', parentId: 1, state: 'ready', ...(bFrozen ? { frozen: true } : {}) }),
];

function provider(): TasksTreeProvider {
  return h.view.options.treeDataProvider as TasksTreeProvider;
}

function rowOf(id: number): TreeNode {
  const p = provider();
  const all = [...p.getChildren(), ...p.getChildren(p.getChildren()[0])];
  return all.find((n) => n.kind === 'task' && n.taskId === id)!;
}

/** The context-menu commands VS Code would offer on a row with this contextValue (the `viewItem =~` clauses). */
function menuFor(contextValue: string): string[] {
  return (pkg.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[])
    .filter((m) => !m.group.startsWith('inline'))
    .filter((m) => {
      const re = /viewItem =~ \/(.*?)\/(?: |$)/.exec(m.when);
      return re !== null && new RegExp(re[1]!.replace(/\\\\/g, '\\')).test(contextValue);
    })
    .map((m) => m.command);
}

describe('Freeze Task / Thaw Task', () => {
  it('the context action sends loopscope/freezeTask for the row, and Thaw Task loopscope/thawTask', async () => {
    h = activateWithSession({ 'loopscope/freezeTask': { frozen: true }, 'loopscope/thawTask': { thawed: true } });
    h.emit('loopscope/snapshot', snapshot(race(false)));
    await h.run('loopscope.tasks.freeze', rowOf(3));
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/freezeTask', args: { taskId: 3 } });
    expect(fake.statusMessages.at(-1)).toBe('Loopscope: deposit-b is frozen: it takes no step until thawed');
    h.emit('loopscope/delta', delta([race(true)[2]!]));
    await h.run('loopscope.tasks.thaw', rowOf(3));
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/thawTask', args: { taskId: 3 } });
    expect(fake.errors).toEqual([]);
  });

  it('the menu offers Freeze Task on a live task, Thaw Task on a frozen one, neither on a finished one', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(race(false)));
    const item = (id: number) => provider().getTreeItem(rowOf(id)) as { contextValue: string; description: string };
    expect(menuFor(item(3).contextValue)).toContain('loopscope.tasks.freeze');
    expect(menuFor(item(3).contextValue)).not.toContain('loopscope.tasks.thaw');
    expect(menuFor(item(2).contextValue)).not.toContain('loopscope.tasks.freeze');
    h.emit('loopscope/delta', delta([race(true)[2]!]));
    expect(menuFor(item(3).contextValue)).toContain('loopscope.tasks.thaw');
    expect(menuFor(item(3).contextValue)).not.toContain('loopscope.tasks.freeze');
    expect(item(3).description).toBe('❄ frozen · ready');
  });

  it('a request that fails is reported with what was being done', async () => {
    h = activateWithSession({ 'loopscope/thawTask': new Error('thawTask: no unfinished task with id 3') });
    h.emit('loopscope/snapshot', snapshot(race(true)));
    await h.run('loopscope.tasks.thaw', 3);
    expect(fake.errors[0]).toBe('Loopscope: could not thaw deposit-b: thawTask: no unfinished task with id 3');
  });

  it('the status bar counts frozen tasks and the view says they are why main is stuck, until thawed', () => {
    vi.useFakeTimers();
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(race(true)));
    vi.advanceTimersByTime(200);
    const bar = fake.statusBarItems.find((i) => i.id === 'loopscope.taskCounts')!;
    expect(bar.text).toBe('$(arrow-circle-right) 1 $(debug-pause) 1 $(pass) 1 ❄ 1 frozen');
    expect(h.view.message).toBe('1 task frozen · stuck because frozen: deposit-b is frozen (Thaw Task to go on)');
    h.emit('loopscope/delta', delta([race(false)[2]!]));
    vi.advanceTimersByTime(200);
    expect(bar.text).toBe('$(arrow-circle-right) 1 $(debug-pause) 1 $(pass) 1');
    expect(h.view.message).toBeUndefined();
  });
});
