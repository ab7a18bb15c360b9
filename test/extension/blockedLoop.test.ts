// A task blocking the loop, as the extension shows it: a status bar item "loop blocked 2.3 s by
// spinner (#3) at spin.ts:6" while the runtime's watchdog says so, counting on, gone when the loop
// runs again; and a pause the blocked loop keeps from taking effect pauses the JavaScript child
// sessions, whose stack shows where the blocking step runs.
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession, type FakeStatusBarItem } from './fakes/vscode';
import type { LoopBlockedMessage } from '../../runtime/src/protocol/watchdogWire';

const BLOCK: LoopBlockedMessage = {
  type: 'loopBlocked',
  blockedMs: 1300,
  taskId: 3,
  taskName: 'spinner',
  steps: 2,
  location: { file: '/w/spin.ts', line: 6, column: 3, function: 'spinner' },
};

describe('the blocked loop in the status bar', () => {
  let h: Harness;
  let item: FakeStatusBarItem;
  beforeEach(() => {
    vi.useFakeTimers();
    h = activateWithSession();
    item = fake.statusBarItems.find((i) => i.id === 'loopscope.loopBlocked')!;
  });
  afterEach(() => {
    h.dispose();
    vi.useRealTimers();
  });

  it('says which task holds the loop and where, counting on, and goes when the loop runs again', () => {
    expect(item.shown).toBe(false);
    h.emit('loopscope/loopBlocked', { ...BLOCK, text: 'loop blocked 1.3 s by spinner (#3) at spin.ts:6' });
    expect(item.shown).toBe(true);
    expect(item.text).toBe('$(warning) loop blocked 1.3 s by spinner (#3) at spin.ts:6');
    vi.advanceTimersByTime(1000);
    expect(item.text).toBe('$(warning) loop blocked 2.3 s by spinner (#3) at spin.ts:6');
    h.emit('loopscope/loopUnblocked', { type: 'loopUnblocked', blockedMs: 2400, taskId: 3, taskName: 'spinner', text: 'The loop runs again' });
    expect(item.shown).toBe(false);
  });

  it('goes when the loop stops (the pause taking effect) or the session ends', () => {
    h.emit('loopscope/loopBlocked', { ...BLOCK, text: '' });
    expect(item.shown).toBe(true);
    h.emit('loopscope/stopped', { reason: 'pause', taskId: 3, description: 'paused before spinner resumes' });
    expect(item.shown).toBe(false);
    h.emit('loopscope/loopBlocked', { ...BLOCK, text: '' });
    expect(item.shown).toBe(true);
    fake.debugEvents.terminate.fire(h.session);
    expect(item.shown).toBe(false);
  });
});

describe('a pause waiting for the blocked loop', () => {
  const trackerFor = (session: FakeDebugSession) =>
    (fake.trackerFactories.find((f) => f.type === session.type)!.factory as { createDebugAdapterTracker(s: unknown): unknown }).createDebugAdapterTracker(session);

  it('pauses the JavaScript child sessions (each thread), not the ones of another session, and only once it is known what blocks', async () => {
    const h = activateWithSession();
    const launcher = new FakeDebugSession('jsParent', 'pwa-node', { threads: { threads: [] } }, h.session);
    const program = new FakeDebugSession('js', 'pwa-node', { threads: { threads: [{ id: 1, name: 'main' }] } }, launcher);
    const other = new FakeDebugSession('jsOther', 'pwa-node', { threads: { threads: [{ id: 1, name: 'main' }] } }, new FakeDebugSession('s2'));
    for (const s of [launcher, program, other]) trackerFor(s);
    h.emit('loopscope/pauseWaiting', { text: 'The program has not answered the pause within 500 ms' });
    await vi.waitFor(() => expect(program.requests).toEqual([]));
    h.emit('loopscope/pauseWaiting', { text: 'The loop is blocked by task spinner (#3) at spin.ts:6', blocked: BLOCK });
    await vi.waitFor(() => expect(program.requests).toEqual([{ command: 'threads', args: undefined }, { command: 'pause', args: { threadId: 1 } }]));
    expect(launcher.requests).toEqual([{ command: 'threads', args: undefined }]);
    expect(other.requests).toEqual([]);
    h.dispose();
  });
});
