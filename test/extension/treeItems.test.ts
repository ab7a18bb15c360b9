import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { activateWithSession, type Harness } from './harness';
import { fake } from './fakes/vscode';
import { task, waiting, snapshot, frame, mainWithWorkers, delta } from './records';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';
import type { TreeNode } from '../../extension/src/model/treeNodes';

let h: Harness;
afterEach(() => h?.dispose());

function provider(): TasksTreeProvider {
  return h.view.options.treeDataProvider as TasksTreeProvider;
}
function item(node: TreeNode) {
  return provider().getTreeItem(node) as vscode.TreeItem & { iconPath: vscode.ThemeIcon; tooltip: vscode.MarkdownString };
}
function rows(node?: TreeNode) {
  return provider().getChildren(node);
}

describe('Tasks view items', () => {
  it('labels, describes, colours and tags each state', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([
      task(1, { name: 'main', state: 'running' }),
      task(2, { name: 'ready-one', state: 'ready' }),
      task(3, { name: 'sleeper', state: 'suspended', awaiting: { kind: 'sleep', deadline: 10_000, delay: 10_000 }, location: frame('/w/a.ts', 4), since: 0 }),
      task(4, { name: 'ok', state: 'done', result: '42' }),
      task(5, { name: 'bad', state: 'failed', error: { name: 'TypeError', message: 'boom\nsecond line', stack: 'TypeError: boom\n    at f (a.ts:1)' } }),
      task(6, { name: 'stopped', state: 'cancelled', cancelMessage: 'shutdown' }),
      task(7, { name: 'cleaning-up', state: 'suspended', cancelling: 1, awaiting: { kind: 'sleep', deadline: 3_800, delay: 1_000 }, since: 2_800 }),
      task(8, { name: 'cancel-queued', state: 'ready', cancelling: 1 }),
    ], { time: 2_800, loop: { id: 1, clock: 'virtual', paused: false } }));
    const byName = Object.fromEntries(rows().map((n) => [item(n).label, item(n)]));
    expect(byName.main!.description).toBe('running');
    expect(byName.main!.iconPath).toMatchObject({ id: 'play-circle', color: { id: 'charts.green' } });
    expect(byName['ready-one']!.iconPath.id).toBe('arrow-circle-right');
    expect(byName.sleeper!.description).toBe('sleep 10 s, 7.2 s left');
    expect(byName.sleeper!.iconPath).toMatchObject({ id: 'debug-pause', color: { id: 'charts.yellow' } });
    expect(byName.sleeper!.contextValue).toBe('loopscopeTask state-suspended live hasSite freezable');
    expect(byName.ok!.description).toBe('done → 42');
    expect(byName.bad!.description).toBe('TypeError: boom');
    expect(byName.bad!.iconPath).toMatchObject({ id: 'error', color: { id: 'testing.iconFailed' } });
    expect(byName.bad!.contextValue).toContain('finished');
    expect(byName.bad!.tooltip.value).toContain('TypeError: boom\n    at f (a.ts:1)'); // the stack, verbatim in a code block
    expect(byName.stopped!.description).toBe('cancelled: shutdown');
    expect(byName.stopped!.iconPath.id).toBe('circle-slash');
    // A pending cancellation is shown whatever the task does meanwhile (awaits its clean-up, waits to run).
    expect(byName['cleaning-up']!.description).toBe('sleep 1.0 s, 1.0 s left, cancelling');
    expect(byName['cancel-queued']!.description).toBe('ready, cancelling');
    expect(rows().map((n) => item(n).id)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8']);
  });

  it('escapes a name full of HTML and Markdown in the tooltip', () => {
    h = activateWithSession();
    const evil = '<img src=x onerror=alert(1)> **bold** [link](command:evil) `code`';
    h.emit('loopscope/snapshot', snapshot([task(1, { name: evil, state: 'suspended', awaiting: { kind: 'promise', label: '<script>' }, location: frame('/w/<b>.ts', 3) })]));
    const it = item(rows()[0]!);
    expect(it.label).toBe(evil); // labels are plain text in VS Code
    const md = it.tooltip;
    expect(md.isTrusted).toBe(false);
    expect(md.supportHtml).toBe(false);
    expect(md.value).not.toMatch(/<img|<script|<b>/);
    expect(md.value).not.toContain('**bold**');
    expect(md.value).not.toContain('](command:');
    expect(md.value).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(md.value).toContain('Promise &lt;script&gt;');
  });

  it('folds identical workers into one row that expands to them', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(mainWithWorkers(500)));
    const [main] = rows();
    // main starts expanded, its workers in view.
    expect(item(main!).collapsibleState).toBe(vscode.TreeItemCollapsibleState.Expanded);
    const [group] = rows(main);
    const g = item(group!);
    expect(g.label).toBe('× 500 worker');
    expect(g.description).toBe('suspended: Queue.get on Queue#1 (empty)');
    expect(g.contextValue).toBe('loopscopeGroup');
    expect(rows(group)).toHaveLength(500);
    expect(item(rows(group)[0]!).collapsibleState).toBe(vscode.TreeItemCollapsibleState.None);
  });

  it('pages a long list with a clickable "more" row', () => {
    h = activateWithSession();
    const tasks = [task(1, { name: 'main' })];
    for (let i = 2; i < 1000; i++) tasks.push(task(i, { name: `t${String.fromCharCode(97 + (i % 26))}${i}x`, parentId: 1, state: 'running' }));
    h.emit('loopscope/snapshot', snapshot(tasks));
    h.run('loopscope.tasks.unfoldIdentical');
    const list = rows(rows()[0]);
    const more = item(list[list.length - 1]!);
    expect(list).toHaveLength(501);
    expect(more.label).toBe('… 498 more');
    expect(more.command?.command).toBe('loopscope.tasks.showMore');
  });

  it('shows the ready queue in order while paused, with its place in line', async () => {
    h = activateWithSession({ 'loopscope/readyQueue': { taskIds: [3, 2], callbacks: 1 } });
    h.emit('loopscope/snapshot', snapshot([task(2, { name: 'b' }), task(3, { name: 'c' })]));
    h.emit('loopscope/stopped', { reason: 'pause', description: 'paused by the user' });
    await vi.waitFor(() => expect(rows()[0]?.kind).toBe('readySection'));
    const [section] = rows();
    expect(item(section!)).toMatchObject({ label: 'Ready queue', description: '2 tasks, 1 callback, in scheduling order' });
    expect(rows(section).map((n) => [item(n).label, item(n).description])).toEqual([
      ['c', '#1 in line · ready'],
      ['b', '#2 in line · ready'],
    ]);
    expect(h.view.message).toBe('Paused: paused by the user');
    h.emit('loopscope/continued', {});
    expect(rows().map((n) => n.kind)).toEqual(['task', 'task']);
    expect(h.view.message).toBeUndefined();
  });

  it('lists a task cancelled while paused in the ready queue (the cancel woke it)', async () => {
    let queue = [2];
    h = activateWithSession({ 'loopscope/readyQueue': () => ({ taskIds: queue, callbacks: 0 }) });
    h.emit('loopscope/snapshot', snapshot([task(2, { name: 'b' }), task(3, { name: 'c', state: 'suspended', awaiting: { kind: 'event', resourceId: 1 } })]));
    h.emit('loopscope/stopped', { reason: 'pause', description: 'paused by the user' });
    await vi.waitFor(() => expect(rows()[0]?.kind).toBe('readySection'));
    expect(rows(rows()[0]).map((n) => item(n).label)).toEqual(['b']);
    queue = [2, 3];
    h.emit('loopscope/delta', delta([task(3, { name: 'c', state: 'ready', steps: 1, cancelling: 1 })]));
    // The section's count is redrawn with the next coalesced update (its rows are listed on demand).
    await vi.waitFor(() => {
      expect(rows(rows()[0]).map((n) => [item(n).label, item(n).description])).toEqual([
        ['b', '#1 in line · ready'],
        ['c', '#2 in line · ready, cancelling'],
      ]);
      expect(item(rows()[0]!).description).toBe('2 tasks, in scheduling order');
    });
  });

  it('fires changes for the changed rows only, and none while the view is hidden', async () => {
    vi.useFakeTimers();
    try {
      h = activateWithSession();
      h.emit('loopscope/snapshot', snapshot([task(1, { name: 'a', state: 'running' }), task(2, { name: 'b', state: 'ready' })]));
      vi.advanceTimersByTime(200);
      const fired: unknown[] = [];
      provider().onDidChangeTreeData((e) => fired.push(e));
      rows(); // the view reads the top level
      h.emit('loopscope/delta', delta([task(2, { name: 'b', state: 'running', steps: 1 })]));
      vi.advanceTimersByTime(200);
      expect(fired).toHaveLength(1);
      expect((fired[0] as TreeNode[]).map((n) => n.key)).toEqual(['t2']);
      h.view.visibility.fire({ visible: false });
      h.emit('loopscope/delta', delta([task(1, { name: 'a', state: 'ready', steps: 2 })]));
      vi.advanceTimersByTime(1000);
      expect(fired).toHaveLength(1);
      h.view.visibility.fire({ visible: true });
      vi.advanceTimersByTime(200);
      expect(fired).toHaveLength(2);
      expect((fired[1] as TreeNode[]).map((n) => n.key)).toEqual(['t1']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says when the session has ended and keeps its last tasks', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([waiting(1, 0, 'w')]));
    fake.debugEvents.terminate.fire(h.session);
    expect(h.view.message).toMatch(/ended/);
    expect(rows()).toHaveLength(1);
  });
});

