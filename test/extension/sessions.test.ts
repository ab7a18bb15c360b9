import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import * as vscode from 'vscode';
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession } from './fakes/vscode';
import { task, snapshot, frame } from './records';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';

let h: Harness;
afterEach(() => h?.dispose());

const provider = () => h.view.options.treeDataProvider as TasksTreeProvider;

describe("the program under VS Code's JavaScript debugger", () => {
  const configuration = { type: 'pwa-node', request: 'launch', name: 'a.ts (JavaScript)', program: '/w/a.ts' };

  it('starts the pwa-node session the adapter asks for, as a child of the Loopscope session', async () => {
    h = activateWithSession();
    h.emit('loopscope/startJsDebug', { configuration });
    await vi.waitFor(() => expect(fake.started).toHaveLength(1));
    expect(fake.started[0]!.config).toEqual(configuration);
    expect(fake.started[0]!.options).toMatchObject({ parentSession: h.session, lifecycleManagedByParent: true, consoleMode: vscode.DebugConsoleMode.MergeWithParent });
    expect(h.session.requests.filter((r) => r.command === 'loopscope/jsDebugFailed')).toEqual([]);
  });

  it('tells the adapter when the editor does not start it, or fails to', async () => {
    h = activateWithSession();
    fake.startDebuggingResult = false;
    h.emit('loopscope/startJsDebug', { configuration });
    await vi.waitFor(() => expect(h.session.requests.map((r) => r.command)).toContain('loopscope/jsDebugFailed'));
    expect(h.session.requests.find((r) => r.command === 'loopscope/jsDebugFailed')!.args).toEqual({ message: expect.stringMatching(/did not start it/) });

    h.session.requests.length = 0;
    fake.startDebuggingResult = new Error("Configured debug type 'pwa-node' is not supported.");
    h.emit('loopscope/startJsDebug', { configuration });
    await vi.waitFor(() => expect(h.session.requests.map((r) => r.command)).toContain('loopscope/jsDebugFailed'));
    expect(h.session.requests.find((r) => r.command === 'loopscope/jsDebugFailed')!.args).toEqual({ message: "Configured debug type 'pwa-node' is not supported." });
  });
});

describe('sessions', () => {
  it('the JavaScript debugger\'s child session keeps its Loopscope parent\'s tasks in view', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'main' })]));
    const child = new FakeDebugSession('c1', 'pwa-node', {}, h.session);
    fake.debugEvents.start.fire(child);
    fake.debugEvents.active.fire(child);
    expect(provider().getChildren().map((n) => n.key)).toEqual(['t1']);
    expect(fake.context.get('loopscope.sessionActive')).toBe(true);
  });

  it('a second Loopscope session takes over the view; the ended first one is dropped', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'first' })]));
    fake.debugEvents.terminate.fire(h.session);
    expect(provider().getChildren().map((n) => n.key)).toEqual(['t1']); // still shown, as ended
    const second = new FakeDebugSession('s2');
    fake.debugEvents.start.fire(second);
    fake.debugEvents.custom.fire({ session: second, event: 'loopscope/snapshot', body: snapshot([task(7, { name: 'second' })]) });
    expect(provider().getChildren().map((n) => n.key)).toEqual(['t7']);
    expect(h.view.message).toBeUndefined();
  });

  it('shows the connection status until the runtime connects', () => {
    h = activateWithSession();
    h.emit('loopscope/status', { state: 'waiting', message: 'Waiting for the program to load loopscope…' });
    expect(h.view.message).toBe('Waiting for the program to load loopscope…');
    h.emit('loopscope/status', { state: 'connected', message: 'connected' });
    expect(h.view.message).toBeUndefined();
  });

  it('ignores custom events of other debuggers', () => {
    h = activateWithSession();
    const other = new FakeDebugSession('n1', 'node');
    fake.debugEvents.custom.fire({ session: other, event: 'loopscope/snapshot', body: snapshot([task(3)]) });
    expect(provider().getChildren()).toEqual([]);
  });
});

describe('debug current file and Call Stack thread actions', () => {
  it('starts a loopscope session on the active file', async () => {
    h = activateWithSession();
    fake.activeTextEditor = { document: { uri: vscode.Uri.file('/w/app.ts') } };
    await h.run('loopscope.debugCurrentFile');
    expect(fake.started.map((s) => s.config)).toEqual([{ type: 'loopscope', request: 'launch', name: 'Loopscope: app.ts', program: '/w/app.ts', cwd: '/w' }]);
    fake.activeTextEditor = { document: { uri: vscode.Uri.file('/w/notes.txt') } };
    await h.run('loopscope.debugCurrentFile');
    expect(fake.errors).toEqual(['Loopscope: open a TypeScript or JavaScript file to debug it.']);
  });

  it('a thread from the Call Stack menu stands for its task', async () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(5, { name: 'w', state: 'suspended', location: frame('/w/a.ts', 2) })]));
    await h.run('loopscope.tasks.breakOnResume', { sessionId: 's1', threadId: 5 });
    expect(h.session.requests.at(-1)).toEqual({ command: 'loopscope/breakOnResume', args: { taskId: 5 } });
  });
});
