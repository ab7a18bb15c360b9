import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake } from './fakes/vscode';
import { task, waiting, snapshot, frame } from './records';
import type { TaskDetails } from '../../runtime/src/protocol/wire';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';

let h: Harness;
afterEach(() => h?.dispose());

const tasks = () => [
  task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'task', taskId: 2 }, location: frame('/w/app.ts', 30, 'main'), createdAt: frame('/w/app.ts', 40) }),
  { ...waiting(2, 1, 'fetcher', '/w/app.ts', 12), createdAt: frame('/w/app.ts', 29, 'main') },
];

function rowOf(id: number) {
  const p = h.view.options.treeDataProvider as TasksTreeProvider;
  const all = [...p.getChildren(), ...p.getChildren(p.getChildren()[0])];
  return all.find((n) => n.kind === 'task' && n.taskId === id)!;
}

describe('task commands', () => {
  it('cancel sends loopscope/cancelTask for the row\'s task', async () => {
    h = activateWithSession({ 'loopscope/cancelTask': { cancelled: true } });
    h.emit('loopscope/snapshot', snapshot(tasks()));
    await h.run('loopscope.tasks.cancel', rowOf(2));
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/cancelTask', args: { taskId: 2, message: 'cancelled from VS Code' } });
    expect(fake.info).toEqual([]);
  });

  it('says so when the task had already finished, and when the request fails', async () => {
    h = activateWithSession({ 'loopscope/cancelTask': { cancelled: false }, 'loopscope/breakOnResume': new Error('not connected') });
    h.emit('loopscope/snapshot', snapshot(tasks()));
    await h.run('loopscope.tasks.cancel', 2);
    expect(fake.info[0]).toMatch(/fetcher was not cancelled: it has already finished/);
    await h.run('loopscope.tasks.breakOnResume', 2);
    expect(fake.errors[0]).toBe("Loopscope: could not break on fetcher's next resume: not connected");
  });

  it('break on next resume sends loopscope/breakOnResume', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(tasks()));
    await h.run('loopscope.tasks.breakOnResume', rowOf(2));
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/breakOnResume', args: { taskId: 2 } });
    expect(fake.statusMessages[0]).toMatch(/will stop when fetcher next resumes/);
  });

  it('reveals the suspension and creation sites in the editor', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(tasks()));
    await h.run('loopscope.tasks.revealSuspension', rowOf(2));
    await h.run('loopscope.tasks.revealCreation', rowOf(2));
    expect(fake.shownDocuments.map((d) => [d.uri.fsPath, (d.options as { selection: { start: { line: number } } }).selection.start.line])).toEqual([
      ['/w/app.ts', 11],
      ['/w/app.ts', 28],
    ]);
  });

  it('copies the await chain from loopscope/taskDetails', async () => {
    const details: TaskDetails = {
      task: tasks()[0]!,
      suspendStack: [frame('/w/app.ts', 30, 'main')],
      creationStack: [],
      creationChain: [],
      awaitingChain: [2],
      awaitedBy: [],
      resources: [],
      children: [2],
    };
    h = activateWithSession({ 'loopscope/taskDetails': details });
    // A virtual clock keeps loop time still, so no "suspended for …" creeps into the text.
    h.emit('loopscope/snapshot', snapshot(tasks(), { loop: { id: 1, clock: 'virtual', paused: false } }));
    await h.run('loopscope.tasks.copyAwaitChain', rowOf(1));
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/taskDetails', args: { taskId: 1 } });
    expect(fake.clipboard.split('\n')).toEqual([
      'main #1 suspended at app.ts:30: task fetcher',
      '  → fetcher #2 suspended at app.ts:12: Queue.get on Queue#1 (empty)',
      '',
      'Suspended at:',
      '  main (/w/app.ts:30:1)',
    ]);
  });

  it('step scheduler sends loopscope/stepScheduler, and explains when no session runs', async () => {
    h = activateWithSession();
    await h.run('loopscope.stepScheduler');
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/stepScheduler', args: {} });
    fake.debugEvents.terminate.fire(h.session);
    await h.run('loopscope.stepScheduler');
    expect(fake.info.at(-1)).toBe('No Loopscope debug session is running.');
  });

  it('filter, fold and search toggles update the tree and the context keys', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'alpha', state: 'done' }), task(2, { name: 'beta', state: 'running' }), task(3, { name: 'alphabet', state: 'running' })]));
    const p = h.view.options.treeDataProvider as TasksTreeProvider;
    await h.run('loopscope.tasks.hideFinished');
    expect(fake.context.get('loopscope.tasks.hideFinished')).toBe(true);
    expect(p.getChildren().map((n) => n.key)).toEqual(['t2', 't3']);
    fake.inputBoxAnswer = 'ALPHA';
    await h.run('loopscope.tasks.search');
    expect(p.getChildren().map((n) => n.key)).toEqual(['t3']);
    expect(h.view.description).toBe('“ALPHA”');
    expect(fake.context.get('loopscope.tasks.searching')).toBe(true);
    await h.run('loopscope.tasks.showFinished');
    expect(p.getChildren().map((n) => n.key)).toEqual(['t1', 't3']);
    await h.run('loopscope.tasks.clearSearch');
    expect(p.getChildren().map((n) => n.key)).toEqual(['t1', 't2', 't3']);
  });
});

describe('selection follows the Call Stack and back', () => {
  it('a row selected while paused focuses its thread; a thread selected reveals its row', async () => {
    h = activateWithSession({ 'loopscope/focusTask': { focused: true } });
    h.emit('loopscope/snapshot', snapshot(tasks()));
    h.emit('loopscope/stopped', { reason: 'pause', description: 'paused' });
    h.view.selectionChanged.fire({ selection: [rowOf(2)] });
    await vi.waitFor(() => expect(h.session.requests).toContainEqual({ command: 'loopscope/focusTask', args: { taskId: 2 } }));
    fake.debugEvents.stackItem.fire({ session: h.session, threadId: 1 });
    await vi.waitFor(() => expect(h.view.revealed.map((r) => (r.element as { key: string }).key)).toEqual(['t1']));
    // Revealing selected the row: that must not echo back as another focus request.
    expect(h.session.requests.filter((r) => r.command === 'loopscope/focusTask')).toHaveLength(1);
  });
});
