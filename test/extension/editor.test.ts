import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, FakeTextEditor } from './fakes/vscode';
import { task, waiting, snapshot, delta, frame } from './records';
import { statusText } from '../../extension/src/statusBar';
import { zeroCounts } from '../../extension/src/model/stateCounts';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.useRealTimers();
});

describe('await-site decorations', () => {
  it('counts the tasks suspended at each line of a visible editor, and lists them on hover', () => {
    vi.useFakeTimers();
    const editor = new FakeTextEditor('/w/app.ts');
    const other = new FakeTextEditor('/w/other.ts');
    h = activateWithSession();
    fake.visibleTextEditors.push(editor, other);
    const ws = [1, 2, 3].map((i) => waiting(i + 1, 0, `w<${i}>`, '/w/app.ts', 10));
    h.emit('loopscope/snapshot', snapshot([...ws, waiting(9, 0, 'solo', '/w/app.ts', 20)]));
    vi.advanceTimersByTime(200);
    const byLine = editor.decorations.map((d) => [d.range.start.line, d.renderOptions?.after?.contentText]);
    expect(byLine).toEqual([
      [9, '⏸ 3 tasks'],
      [19, '⏸ solo'],
    ]);
    const hover = editor.decorations[0]!.hoverMessage!;
    expect(hover.value).toContain('w&lt;1&gt; \\#2');
    expect(hover.value).toContain(`(command:loopscope.tasks.showTasksAt?${encodeURIComponent(JSON.stringify(['/w/app.ts', 10]))})`);
    expect(hover.isTrusted).toEqual({ enabledCommands: ['loopscope.tasks.showTasksAt'] });
    expect(other.decorations).toEqual([]);
    // A task resuming changes that line's count; the other editor is not redecorated.
    const otherSpy = vi.spyOn(other, 'setDecorations');
    h.emit('loopscope/delta', delta([task(2, { name: 'w<1>', state: 'running' })]));
    vi.advanceTimersByTime(200);
    expect(editor.decorations[0]!.renderOptions?.after?.contentText).toBe('⏸ 2 tasks');
    expect(otherSpy).not.toHaveBeenCalled();
  });

  it('the hover link lists the tasks and reveals the one picked', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([waiting(2, 0, 'a', '/w/app.ts', 10), waiting(3, 0, 'b', '/w/app.ts', 10)]));
    fake.quickPickAnswer = (items) => (items as { id: number }[]).find((i) => i.id === 3);
    await h.run('loopscope.tasks.showTasksAt', '/w/app.ts', 10);
    await vi.waitFor(() => expect(h.view.revealed.map((r) => (r.element as { key: string }).key)).toEqual(['t3']));
  });
});

describe('stuck tasks and await cycles as warnings', () => {
  it('warns at the lines of a two-task await cycle, pointing each at the other', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([
      task(1, { name: 'transfer-a', state: 'suspended', awaiting: { kind: 'task', taskId: 2 }, location: frame('/w/dead.ts', 5) }),
      task(2, { name: 'transfer-b', state: 'suspended', awaiting: { kind: 'task', taskId: 1 }, location: frame('/w/dead.ts', 9) }),
    ]));
    const diagnostics = fake.diagnostics.find((c) => c.name === 'loopscope')!;
    await vi.waitFor(() => expect(diagnostics.entries.get('/w/dead.ts')).toHaveLength(2));
    const [a, b] = diagnostics.entries.get('/w/dead.ts')!;
    expect(a!.message).toBe('Task transfer-a is in an await cycle: await cycle transfer-a → transfer-b → transfer-a');
    expect(a!.range.start.line).toBe(4);
    expect(a!.severity).toBe(1); // Warning
    expect(a!.code).toBe('await-cycle');
    expect(a!.relatedInformation?.map((r) => [r.location.range.start.line, r.message])).toEqual([[8, 'transfer-b waits here']]);
    expect(b!.range.start.line).toBe(8);
    // The rows show it too, and the view's badge counts them.
    expect(h.view.badge).toEqual({ value: 2, tooltip: '2 stuck tasks' });
    const p = h.view.options.treeDataProvider as TasksTreeProvider;
    const icons = p.getChildren().map((n) => (p.getTreeItem(n).iconPath as { id: string }).id);
    expect(icons).toEqual(['sync', 'sync']);
    expect((p.getTreeItem(p.getChildren()[0]!).tooltip as { value: string }).value).toContain('Stuck: await cycle transfer\\-a → transfer\\-b → transfer\\-a');
    fake.debugEvents.terminate.fire(h.session);
    expect(diagnostics.entries.size).toBe(0);
  });

  it('groups tasks stuck at one line for one reason into one warning', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([1, 2, 3, 4].map((i) => ({ ...waiting(i, 0, `consumer-${i}`, '/w/q.ts', 3), awaiting: { kind: 'event' as const, resourceId: 5 } }))));
    const diagnostics = fake.diagnostics.find((c) => c.name === 'loopscope')!;
    await vi.waitFor(() => expect(diagnostics.entries.get('/w/q.ts')).toHaveLength(1));
    expect(diagnostics.entries.get('/w/q.ts')![0]!.message).toBe('4 tasks are stuck here (consumer-1, consumer-2, consumer-3 and 1 more): no task left can wake it');
  });
});

describe('status bar', () => {
  it('shows the counts per state during a session and hides at its end', () => {
    vi.useFakeTimers();
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { state: 'running' }), waiting(2, 1, 'a'), waiting(3, 1, 'b'), task(4, { state: 'failed' })]));
    vi.advanceTimersByTime(200);
    const item = fake.statusBarItems.find((i) => i.id === 'loopscope.taskCounts')!;
    expect(item.shown).toBe(true);
    expect(item.text).toBe('$(play-circle) 1 $(debug-pause) 2 $(error) 1');
    expect(item.command).toBe('loopscope.tasks.focus');
    fake.debugEvents.terminate.fire(h.session);
    expect(item.shown).toBe(false);
  });

  it('formats large counts and an empty loop', () => {
    expect(statusText({ ...zeroCounts(), suspended: 100_000 })).toBe('$(debug-pause) 100,000');
    expect(statusText(zeroCounts())).toBe('$(debug-pause) no tasks');
  });
});
