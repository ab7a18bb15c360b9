// A breakpoint on an await line stops once, in Loopscope (which also stops js-debug with the frames),
// not first in js-debug as the line starts: the tracker takes await lines out of js-debug's
// setBreakpoints and puts placeholders back into its answer so VS Code pairs the rest correctly.
import { describe, it, expect, vi, beforeEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import type { DebugProtocol } from '@vscode/debugprotocol';
import { activateWithSession } from './harness';
import { fake, FakeDebugSession } from './fakes/vscode';
import { isAwaitLine, LOOPSCOPE_OWNS_MESSAGE } from '../../extension/src/debug/awaitLineBreakpoints';

const FILE = '/w/deadlock.ts';
const TEXT = [
  'function* transfer(first: Lock, second: Lock, amount: number): Coroutine<void> {', // 1
  '  yield* first.acquire();', // 2
  '  console.log(`holding ${first}`); // not yield* here', // 3
  '  yield *sleep(100);', // 4
  '}', // 5
].join('\n');

type Tracker = { onWillReceiveMessage(m: unknown): void; onDidSendMessage(m: unknown): void };
function trackerFor(session: FakeDebugSession): Tracker | undefined {
  const entry = fake.trackerFactories.find((f) => f.type === session.type);
  return (entry!.factory as { createDebugAdapterTracker(s: unknown): Tracker | undefined }).createDebugAdapterTracker(session);
}

function setBreakpoints(seq: number, lines: number[], extra: Partial<DebugProtocol.SourceBreakpoint>[] = []): DebugProtocol.SetBreakpointsRequest {
  return {
    type: 'request',
    seq,
    command: 'setBreakpoints',
    arguments: { source: { path: FILE }, lines, breakpoints: lines.map((line, i) => ({ line, ...(extra[i] ?? {}) })) },
  };
}

describe('await-line breakpoints in the JavaScript child session', () => {
  let parent: FakeDebugSession;
  beforeEach(() => {
    parent = activateWithSession().session;
    fake.textDocuments = [{ path: FILE, text: TEXT }];
  });

  it('tells await lines by their yield*, ignoring comments', () => {
    expect(isAwaitLine('  const x = yield* q.get();')).toBe(true);
    expect(isAwaitLine('  yield *sleep(1)')).toBe(true);
    expect(isAwaitLine('  console.log(1); // yield* later')).toBe(false);
    expect(isAwaitLine('  yield value;')).toBe(false);
  });

  it("takes await lines out of js-debug's request and answers for them in its response, in their places", () => {
    const t = trackerFor(new FakeDebugSession('js', 'pwa-node', {}, parent))!;
    const req = setBreakpoints(7, [2, 3, 4]);
    t.onWillReceiveMessage(req);
    expect(req.arguments.breakpoints!.map((b) => b.line)).toEqual([3]);
    expect(req.arguments.lines).toEqual([3]);

    const res = { type: 'response', seq: 9, request_seq: 7, command: 'setBreakpoints', success: true, body: { breakpoints: [{ verified: true, line: 3, id: 1 }] } };
    t.onDidSendMessage(res);
    expect(res.body.breakpoints).toEqual([
      { verified: false, line: 2, message: LOOPSCOPE_OWNS_MESSAGE },
      { verified: true, line: 3, id: 1 },
      { verified: false, line: 4, message: LOOPSCOPE_OWNS_MESSAGE },
    ]);
  });

  it('leaves logpoints on await lines, and requests with no await line, to js-debug', () => {
    const t = trackerFor(new FakeDebugSession('js', 'pwa-node', {}, parent))!;
    const req = setBreakpoints(3, [2, 3], [{ logMessage: 'at {first}' }]);
    t.onWillReceiveMessage(req);
    expect(req.arguments.breakpoints!.map((b) => b.line)).toEqual([2, 3]);
    const res = { type: 'response', seq: 4, request_seq: 3, command: 'setBreakpoints', success: true, body: { breakpoints: [{ verified: true }, { verified: true }] } };
    t.onDidSendMessage(res);
    expect(res.body.breakpoints).toHaveLength(2);
  });

  it('reads the file when it is not open in an editor', () => {
    fake.textDocuments = [];
    const t = trackerFor(new FakeDebugSession('js', 'pwa-node', {}, parent))!;
    const req = setBreakpoints(1, [1]);
    req.arguments.source.path = new URL(import.meta.url).pathname; // this test file: line 1 is a comment
    t.onWillReceiveMessage(req);
    expect(req.arguments.breakpoints).toHaveLength(1);
  });

  it('does not touch JavaScript sessions that are not under a Loopscope session', () => {
    expect(trackerFor(new FakeDebugSession('plain', 'pwa-node'))).toBeUndefined();
  });
});

describe("the JavaScript debugger paused by Loopscope's stop", () => {
  let parent: FakeDebugSession;
  beforeEach(() => {
    parent = activateWithSession().session;
  });
  const stopped = (threadId: number) => ({ type: 'event', seq: 1, event: 'stopped', body: { reason: 'debugger statement', threadId } });
  const request = (command: string) => ({ type: 'request', seq: 5, command, arguments: {} });

  it('is continued when the user continues or steps the Loopscope session', () => {
    const js = new FakeDebugSession('js', 'pwa-node', {}, new FakeDebugSession('jsParent', 'pwa-node', {}, parent));
    const loopscope = trackerFor(parent)!;
    loopscope.onDidSendMessage(stopped(2));
    trackerFor(js)!.onDidSendMessage(stopped(3));
    loopscope.onWillReceiveMessage(request('threads')); // not a resume
    expect(js.requests).toEqual([]);
    loopscope.onWillReceiveMessage(request('next'));
    expect(js.requests).toEqual([{ command: 'continue', args: { threadId: 3 } }]);
    // Once only: it is running now.
    loopscope.onWillReceiveMessage(request('continue'));
    expect(js.requests).toHaveLength(1);
  });

  it('is left alone when it is running, or continued already, or under another Loopscope session', () => {
    const js = new FakeDebugSession('js', 'pwa-node', {}, parent);
    const jsTracker = trackerFor(js)!;
    jsTracker.onDidSendMessage(stopped(1));
    jsTracker.onDidSendMessage({ type: 'event', seq: 2, event: 'continued', body: { threadId: 1 } });
    trackerFor(parent)!.onWillReceiveMessage(request('continue'));
    expect(js.requests).toEqual([]);

    jsTracker.onDidSendMessage(stopped(1));
    const other = new FakeDebugSession('s2');
    trackerFor(other)!.onWillReceiveMessage(request('loopscope/stepScheduler'));
    expect(js.requests).toEqual([]);
    trackerFor(parent)!.onWillReceiveMessage(request('loopscope/stepScheduler'));
    expect(js.requests).toEqual([{ command: 'continue', args: { threadId: 1 } }]);
  });

  it('continuing the JavaScript session paused by the stop continues the Loopscope session too', () => {
    const js = new FakeDebugSession('js', 'pwa-node', {}, parent);
    const loopscope = trackerFor(parent)!;
    const jsTracker = trackerFor(js)!;
    loopscope.onDidSendMessage(stopped(7)); // Loopscope stops (task #7) ...
    jsTracker.onDidSendMessage(stopped(0)); // ... and the runtime stops the JavaScript debugger
    jsTracker.onWillReceiveMessage(request('continue'));
    expect(parent.requests).toEqual([
      // The Loopscope session hears that the JavaScript debugger holds the program, and no longer does ...
      { command: 'loopscope/jsDebugPaused', args: { paused: true } },
      { command: 'loopscope/jsDebugPaused', args: { paused: false } },
      // ... and is continued.
      { command: 'continue', args: { threadId: 7 } },
    ]);
    // That continue does not bounce back to the JavaScript session.
    loopscope.onWillReceiveMessage(request('continue'));
    expect(js.requests).toEqual([]);
  });

  it("a JavaScript pause of its own (a line breakpoint while the loop runs) does not touch Loopscope", () => {
    const js = new FakeDebugSession('js', 'pwa-node', {}, parent);
    const jsTracker = trackerFor(js)!;
    jsTracker.onDidSendMessage(stopped(0));
    jsTracker.onWillReceiveMessage(request('continue'));
    // Only told that the JavaScript debugger held the program (its watchdog would call that a blocked loop).
    expect(parent.requests).toEqual([
      { command: 'loopscope/jsDebugPaused', args: { paused: true } },
      { command: 'loopscope/jsDebugPaused', args: { paused: false } },
    ]);
  });
});
