/**
 * What the Tasks view shows over time. VS Code re-reads a row only when the provider fires a change
 * for it, so these tests keep, per row, the item as VS Code last read it (when the row was listed,
 * and at each change event) and check that: durations stay current while the program runs and
 * freeze while it is paused, stuck and deadlocked tasks say so in their text, and main starts
 * expanded in every session.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession } from './fakes/vscode';
import { task, snapshot, frame } from './records';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';
import type { TreeNode } from '../../extension/src/model/treeNodes';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.useRealTimers();
});

/**
 * The rows as VS Code shows them: read when listed, read again when a change event names them.
 * Rows shown expanded are listed; `openAll` also opens the others, as a user clicking them would.
 */
function screen(harness: Harness, openAll = false) {
  const provider = harness.view.options.treeDataProvider as TasksTreeProvider;
  const shown = new Map<string, vscode.TreeItem>();
  const listed = new Map<string, TreeNode>();
  const read = (n: TreeNode) => shown.set(n.key, provider.getTreeItem(n));
  const list = (parent?: TreeNode) => {
    for (const n of provider.getChildren(parent)) {
      listed.set(n.key, n);
      read(n);
      const state = provider.getTreeItem(n).collapsibleState;
      if (state === vscode.TreeItemCollapsibleState.Expanded || (openAll && state === vscode.TreeItemCollapsibleState.Collapsed)) list(n);
    }
  };
  provider.onDidChangeTreeData((e) => {
    if (e === undefined) {
      listed.clear();
      return list();
    }
    for (const n of Array.isArray(e) ? e : [e]) if (listed.has(n.key)) read(n);
  });
  list();
  const row = (name: string) => {
    const item = [...shown.values()].find((i) => i.label === name);
    if (!item) throw new Error(`no row ${name} on screen (${[...shown.values()].map((i) => i.label).join(', ')})`);
    return item;
  };
  return {
    row,
    /** The tooltip as read (Markdown escapes removed). */
    tooltip: (name: string) => (row(name).tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1'),
    description: (name: string) => row(name).description,
  };
}

describe('durations on screen', () => {
  it('a task waiting on an Event: its tooltip counts on while the program runs, stands still while paused', async () => {
    vi.useFakeTimers({ now: 100_000 });
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([
      task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'task', taskId: 2 }, since: 0 }),
      task(2, { name: 'waiter', parentId: 1, state: 'suspended', awaiting: { kind: 'event', resourceId: 5 }, location: frame('/w/app.ts', 9), since: 0 }),
    ]));
    const s = screen(h, true);
    expect(s.tooltip('waiter')).toContain('State: suspended for 0 ms');
    // Nothing changes in the program for a minute: no message arrives, yet the figure moves (the
    // rows are redrawn once a second).
    await vi.advanceTimersByTimeAsync(2_050);
    expect(s.tooltip('waiter')).toContain('State: suspended for 2.0 s');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.tooltip('waiter')).toContain('State: suspended for 1 min 2 s');
    // Paused: loop time stands still at the stop, though the last message is a minute old.
    h.emit('loopscope/stopped', { reason: 'pause', description: 'paused' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.tooltip('waiter')).toContain('State: suspended for 1 min 2 s');
    // Running again: on from where it stood.
    h.emit('loopscope/continued', {});
    await vi.advanceTimersByTimeAsync(5_100);
    expect(s.tooltip('waiter')).toContain('State: suspended for 1 min 7 s');
  });
});

describe('stuck and deadlocked tasks in words', () => {
  it('the row text says deadlock / stuck (not only the icon), and its accessible label says why', async () => {
    vi.useFakeTimers({ now: 100_000 });
    h = activateWithSession();
    const locks = [
      { id: 7, kind: 'lock' as const, name: 'accounts', holderId: 2, waiterIds: [3] },
      { id: 8, kind: 'lock' as const, name: 'ledger', holderId: 3, waiterIds: [2] },
    ];
    h.emit('loopscope/snapshot', snapshot([
      task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'gather', taskIds: [2, 3] } }),
      task(2, { name: 'transfer-a', parentId: 1, state: 'suspended', awaiting: { kind: 'lock', resourceId: 8, holderId: 3 }, location: frame('/w/bank.ts', 14) }),
      task(3, { name: 'transfer-b', parentId: 1, state: 'suspended', awaiting: { kind: 'lock', resourceId: 7, holderId: 2 }, location: frame('/w/bank.ts', 14) }),
    ], { resources: locks }));
    const s = screen(h, true);
    // The findings are worked out at their own pace (at most once a second).
    await vi.advanceTimersByTimeAsync(1_100);
    expect(s.description('transfer-a')).toBe('deadlock · Lock ledger held by transfer-b');
    expect(s.description('transfer-b')).toBe('deadlock · Lock accounts held by transfer-a');
    expect(s.description('main')).toMatch(/^stuck · gather: 2 pending/);
    expect(s.row('transfer-a').accessibilityInformation?.label).toBe('transfer-a, deadlock · Lock ledger held by transfer-b: await cycle transfer-a → transfer-b → transfer-a');
  });
});

describe('main starts expanded', () => {
  it('in every session, with a row id of its own session (VS Code keeps a row collapsed by its id)', () => {
    h = activateWithSession();
    const workers = [task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'task', taskId: 2 } }), task(2, { name: 'worker-1', parentId: 1, state: 'running' })];
    h.emit('loopscope/snapshot', snapshot(workers));
    const first = screen(h);
    expect(first.row('main').collapsibleState).toBe(vscode.TreeItemCollapsibleState.Expanded);
    expect(first.row('worker-1').description).toBe('running');
    const firstId = first.row('main').id;
    // A second session in the same window: task #1 is main again.
    fake.debugEvents.terminate.fire(h.session);
    const s2 = new FakeDebugSession('s2', 'loopscope', { 'loopscope/readyQueue': { taskIds: [], callbacks: 0 } });
    fake.debugEvents.start.fire(s2);
    fake.debugEvents.custom.fire({ session: s2, event: 'loopscope/snapshot', body: snapshot(workers) });
    const second = screen(h);
    expect(second.row('main').collapsibleState).toBe(vscode.TreeItemCollapsibleState.Expanded);
    expect(second.row('worker-1').description).toBe('running');
    expect(second.row('main').id).not.toBe(firstId);
  });
});
