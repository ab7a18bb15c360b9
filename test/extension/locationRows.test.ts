// The Tasks view grouped by location, as a user sees it: the title-bar toggle, the group rows'
// labels over time as tasks move, "Show Only Tasks Suspended Here" on a row and how to clear it.
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { activateWithSession, type Harness } from './harness';
import { readFileSync } from 'node:fs';
import { fake, FakeDebugSession } from './fakes/vscode';
import { task, waiting, snapshot, delta, frame } from './records';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';
import type { TreeNode } from '../../extension/src/model/treeNodes';
import type { TaskRecord } from '../../runtime/src/protocol/wire';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.useRealTimers();
});

const FILE = '/w/crawler.ts';
const provider = () => h.view.options.treeDataProvider as TasksTreeProvider;
const item = (node: TreeNode) => provider().getTreeItem(node) as vscode.TreeItem & { iconPath: vscode.ThemeIcon; tooltip: vscode.MarkdownString };
const rows = (node?: TreeNode) => provider().getChildren(node);
const labels = (nodes = rows()) => nodes.map((n) => item(n).label);

/** main; workers 2..n22+1 on Queue.get at line 22 (queue 1), then n30 on Queue.get at line 30 (queue 2). */
function crawler(n22: number, n30: number): TaskRecord[] {
  const tasks = [task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'gather', taskIds: [] }, location: frame('/w/main.ts', 40) })];
  let id = 2;
  for (let i = 0; i < n22; i++, id++) tasks.push(waiting(id, 1, `worker-${id}`, FILE, 22));
  for (let i = 0; i < n30; i++, id++) tasks.push(movedOn(id, 1));
  return tasks;
}
function movedOn(id: number, steps = 2): TaskRecord {
  return { ...waiting(id, 1, `worker-${id}`, FILE, 30), awaiting: { kind: 'queue.get', resourceId: 2, size: 0, maxsize: 0 }, steps };
}
const queues = [
  { id: 1, kind: 'queue' as const, name: 'jobs', size: 0, maxsize: 0, waiterIds: [] },
  { id: 2, kind: 'queue' as const, name: 'results', size: 0, maxsize: 0, waiterIds: [] },
];

describe('Tasks view: Group by Location', () => {
  it('the title-bar toggle switches between the creator tree and groups by location, and says which is on', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(crawler(50, 3), { resources: queues }));
    expect(fake.context.get('loopscope.tasks.byLocation')).toBe(false);
    expect(labels()).toEqual(['main']);
    await h.run('loopscope.tasks.groupByLocation');
    expect(fake.context.get('loopscope.tasks.byLocation')).toBe(true);
    expect(labels()).toEqual(['× 50 suspended at crawler.ts:22 on Queue.get', '× 3 suspended at crawler.ts:30 on Queue.get', '× 1 suspended at main.ts:40 on gather']);
    const g = item(rows()[0]!);
    expect(g.description).toBe('Queue.get on jobs (empty) · worker-2, worker-3, worker-4 and 47 more');
    expect(g.collapsibleState).toBe(vscode.TreeItemCollapsibleState.Collapsed);
    expect(g.iconPath).toMatchObject({ id: 'debug-pause' });
    expect(g.contextValue).toBe('loopscopeLocation atSite');
    expect(g.tooltip.value).toContain('**50 tasks** suspended at crawler\\.ts:22 on Queue\\.get'); // Markdown, escaped
    expect(g.accessibilityInformation?.label).toBe('50 tasks suspended at crawler.ts:22 on Queue.get: Queue.get on jobs (empty) · worker-2, worker-3, worker-4 and 47 more');
    // Expanded, a group lists its tasks as ordinary task rows.
    expect(labels(rows(rows()[1]))).toEqual(['worker-52', 'worker-53', 'worker-54']);
    expect(item(rows(rows()[1])[0]!).contextValue).toBe('loopscopeTask state-suspended live hasSite freezable');
    await h.run('loopscope.tasks.groupByCreator');
    expect(labels()).toEqual(['main']);
    expect(fake.context.get('loopscope.tasks.byLocation')).toBe(false);
  });

  it('labels stay current as tasks move between sites: the changed rows are redrawn, with their new counts', () => {
    vi.useFakeTimers();
    h = activateWithSession();
    void h.run('loopscope.tasks.groupByLocation');
    const onEvent = (id: number): TaskRecord => ({ ...waiting(id, 1, `listener-${id}`, FILE, 50), awaiting: { kind: 'event', resourceId: 3 } });
    const ready = { id: 3, kind: 'event' as const, name: 'ready', value: 0, waiterIds: [] };
    h.emit('loopscope/snapshot', snapshot([...crawler(50, 3), onEvent(80), onEvent(81)], { resources: [...queues, ready] }));
    vi.advanceTimersByTime(200);
    const fired: (TreeNode[] | undefined)[] = [];
    provider().onDidChangeTreeData((e) => fired.push(e as TreeNode[] | undefined));
    const seen = () => labels();
    expect(seen().slice(0, 2)).toEqual(['× 50 suspended at crawler.ts:22 on Queue.get', '× 3 suspended at crawler.ts:30 on Queue.get']);

    // Twenty workers take a job and move to line 30: the two groups' rows are redrawn, nothing else.
    h.emit('loopscope/delta', delta(Array.from({ length: 20 }, (_, i) => movedOn(2 + i))));
    vi.advanceTimersByTime(200);
    expect(fired).toHaveLength(1);
    expect((fired[0] ?? []).map((n) => item(n).label).sort()).toEqual(['× 23 suspended at crawler.ts:30 on Queue.get', '× 30 suspended at crawler.ts:22 on Queue.get']);

    // Twenty more: line 30 has the most tasks now and moves to the top (the whole list is redrawn).
    h.emit('loopscope/delta', delta(Array.from({ length: 20 }, (_, i) => movedOn(22 + i))));
    vi.advanceTimersByTime(200);
    expect(fired).toHaveLength(2);
    expect(fired[1]).toBeUndefined();
    expect(seen().slice(0, 2)).toEqual(['× 43 suspended at crawler.ts:30 on Queue.get', '× 10 suspended at crawler.ts:22 on Queue.get']);

    // The Event is set: the row that names it says so.
    const listeners = rows()[2]!;
    expect(item(listeners).description).toBe('Event ready (not set) · listener-80, listener-81');
    h.emit('loopscope/delta', delta([], { resources: [{ ...ready, value: 1 }] }));
    vi.advanceTimersByTime(200);
    expect(fired.at(-1)).toContain(listeners);
    expect(item(listeners).description).toBe('Event ready (set) · listener-80, listener-81');
  });

  it('the choice carries over to the next session', async () => {
    h = activateWithSession();
    await h.run('loopscope.tasks.groupByLocation');
    fake.debugEvents.terminate.fire(h.session);
    const second = new FakeDebugSession('s2');
    fake.debugEvents.start.fire(second);
    fake.debugEvents.custom.fire({ session: second, event: 'loopscope/snapshot', body: snapshot(crawler(2, 0)) });
    expect(labels()[0]).toBe('× 2 suspended at crawler.ts:22 on Queue.get');
  });
});

describe('Tasks view: Show Only Tasks Suspended Here', () => {
  it('from a group: only that site, said in the view’s description and message, until cleared', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(crawler(50, 3), { resources: queues }));
    await h.run('loopscope.tasks.groupByLocation');
    await h.run('loopscope.tasks.showOnlyHere', rows()[1]);
    expect(labels()).toEqual(['× 3 suspended at crawler.ts:30 on Queue.get']);
    // What the user asked to see is open.
    expect(item(rows()[0]!).collapsibleState).toBe(vscode.TreeItemCollapsibleState.Expanded);
    expect(h.view.description).toBe('at crawler.ts:30');
    expect(h.view.message).toBe('Only the tasks suspended at crawler.ts:30. Clear Location Filter (in the title bar) shows every task.');
    expect(fake.context.get('loopscope.tasks.siteFilter')).toBe(true);
    await h.run('loopscope.tasks.clearSiteFilter');
    expect(labels()).toHaveLength(3);
    expect(h.view.description).toBeUndefined();
    expect(h.view.message).toBeUndefined();
    expect(fake.context.get('loopscope.tasks.siteFilter')).toBe(false);
  });

  it('from a suspended task in the creator tree: its site’s tasks under their creator; a task not suspended has no site', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([...crawler(4, 2), task(9, { name: 'runner', parentId: 1, state: 'running', location: frame(FILE, 22) })], { resources: queues }));
    const [main] = rows();
    const workerAt30 = rows(main).find((n) => n.kind === 'group' && item(n).label === '× 2 worker')!;
    const member = rows(workerAt30)[0]!;
    await h.run('loopscope.tasks.showOnlyHere', member);
    expect(labels(rows(rows()[0]))).toEqual(['× 2 worker']);
    expect(h.view.description).toBe('at crawler.ts:30');
    // A running task was last suspended somewhere, but is not suspended there: no filter from it.
    await h.run('loopscope.tasks.clearSiteFilter');
    const runner = rows(rows()[0]).find((n) => item(n).label === 'runner')!;
    await h.run('loopscope.tasks.showOnlyHere', runner);
    expect(fake.info.at(-1)).toMatch(/only tasks suspended at a known line can be shown alone/);
    expect(h.view.description).toBeUndefined();
  });

  it('the menus offer it on suspended tasks and location groups, and the toggles in the title bar', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const entry = pkg.contributes.menus['view/item/context'].find((m: { command: string }) => m.command === 'loopscope.tasks.showOnlyHere');
    const re = new RegExp(/viewItem =~ \/(.*)\/$/.exec(entry.when)![1]!.replace(/\\\\/g, '\\'));
    expect(re.test('loopscopeTask state-suspended live hasSite hasCreation')).toBe(true);
    expect(re.test('loopscopeLocation atSite')).toBe(true);
    expect(re.test('loopscopeTask state-running live hasSite')).toBe(false);
    expect(re.test('loopscopeLocation')).toBe(false);
    const title = pkg.contributes.menus['view/title'].map((m: { command: string; when: string }) => `${m.command} ${m.when}`);
    expect(title).toContain('loopscope.tasks.groupByLocation view == loopscope.tasks && !loopscope.tasks.byLocation');
    expect(title).toContain('loopscope.tasks.groupByCreator view == loopscope.tasks && loopscope.tasks.byLocation');
    expect(title).toContain('loopscope.tasks.clearSiteFilter view == loopscope.tasks && loopscope.tasks.siteFilter');
  });
});
