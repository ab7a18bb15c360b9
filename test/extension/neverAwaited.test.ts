/**
 * Never-awaited coroutines in the editor: the adapter's 'loopscope/neverAwaited' event becomes a
 * Warning at the line of the call, kept after the session ends, replaced when a new session starts.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession } from './fakes/vscode';
import { frame } from './records';

let h: Harness;
afterEach(() => h?.dispose());

const forgotten = (line: number, name = 'saveResult') => ({ name, location: frame('/w/forgotten.ts', line) });

describe('never-awaited coroutines as warnings', () => {
  it('warns at the line that made the coroutine, once per call site', () => {
    h = activateWithSession();
    const diagnostics = fake.diagnostics.find((c) => c.name === 'loopscope-never-awaited')!;
    h.emit('loopscope/neverAwaited', { type: 'neverAwaited', coroutines: [forgotten(15)] });
    // The same site again (a second connection reports it anew) adds nothing; another site does.
    h.emit('loopscope/neverAwaited', { type: 'neverAwaited', coroutines: [forgotten(15), forgotten(22, 'flush')] });
    const list = diagnostics.entries.get('/w/forgotten.ts')!;
    expect(list.map((d) => [d.range.start.line, d.range.start.character, d.message, d.severity, d.code, d.source])).toEqual([
      [14, 0, "coroutine 'saveResult' was never awaited: call it with yield* or pass it to createTask", 1, 'never-awaited', 'Loopscope'],
      [21, 0, "coroutine 'flush' was never awaited: call it with yield* or pass it to createTask", 1, 'never-awaited', 'Loopscope'],
    ]);
  });

  it('keeps the warning after the session ends, and drops it when a new Loopscope session starts', () => {
    h = activateWithSession();
    const diagnostics = fake.diagnostics.find((c) => c.name === 'loopscope-never-awaited')!;
    h.emit('loopscope/neverAwaited', { type: 'neverAwaited', coroutines: [forgotten(15)] });
    fake.debugEvents.terminate.fire(h.session);
    expect(diagnostics.entries.get('/w/forgotten.ts')).toHaveLength(1);
    // Another debugger's session is not a new run.
    fake.debugEvents.start.fire(new FakeDebugSession('js', 'pwa-node'));
    expect(diagnostics.entries.get('/w/forgotten.ts')).toHaveLength(1);
    fake.debugEvents.start.fire(new FakeDebugSession('s2', 'loopscope'));
    expect(diagnostics.entries.size).toBe(0);
  });
});
