// The timeline is recorded (loopscope/setOptions { timeline }) only while the Task Inspector shows
// its Timeline tab, unless the launch configuration asked for it from the start.
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession, type FakeWebviewPanel } from './fakes/vscode';
import { task, snapshot } from './records';
import type { CustomEvents } from '../../adapter/src/dapCustom';

let h: Harness;
afterEach(() => h?.dispose());

const connected: CustomEvents['loopscope/status'] = { state: 'connected', message: 'Connected to process 1.', pid: 1 };

function openPanel(): FakeWebviewPanel {
  void h.run('loopscope.openInspector');
  const p = fake.panels.at(-1)!;
  p.webview.received.fire({ type: 'view', view: 'graph' });
  p.webview.received.fire({ type: 'ready' });
  return p;
}

const showTab = (p: FakeWebviewPanel, view: string) => p.webview.received.fire({ type: 'view', view });
const setVisible = (p: FakeWebviewPanel, visible: boolean) => {
  p.visible = visible;
  p.viewState.fire({});
};

/** The `timeline` values asked of a session, in order. */
const asked = (s: FakeDebugSession) => s.requests.filter((r) => r.command === 'loopscope/setOptions').map((r) => (r.args as { timeline: boolean }).timeline);

/** Lets the requests' answers (and rejections) be handled. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function status(session: FakeDebugSession, body: CustomEvents['loopscope/status']): void {
  fake.debugEvents.custom.fire({ session, event: 'loopscope/status', body });
}

describe('timeline recording follows the Timeline tab', () => {
  it('turns on when the tab shows, and off when another tab shows', () => {
    h = activateWithSession();
    h.emit('loopscope/status', connected);
    const p = openPanel();
    expect(asked(h.session)).toEqual([]);
    showTab(p, 'timeline');
    expect(asked(h.session)).toEqual([true]);
    showTab(p, 'timeline'); // said again (a reloaded page): nothing new to ask
    expect(asked(h.session)).toEqual([true]);
    showTab(p, 'exceptions');
    expect(asked(h.session)).toEqual([true, false]);
    showTab(p, 'graph');
    expect(asked(h.session)).toEqual([true, false]);
  });

  it('turns off while the panel is hidden and on again when it shows, then off when it is closed', () => {
    h = activateWithSession();
    h.emit('loopscope/status', connected);
    const p = openPanel();
    showTab(p, 'timeline');
    setVisible(p, false);
    expect(asked(h.session)).toEqual([true, false]);
    // Shown again: the page reloads on the tab it had; the host need not wait for it to say so.
    setVisible(p, true);
    expect(asked(h.session)).toEqual([true, false, true]);
    p.dispose();
    expect(asked(h.session)).toEqual([true, false, true, false]);
  });

  it('waits for the runtime to connect: a session started while the tab shows is asked then', () => {
    h = activateWithSession();
    const p = openPanel();
    showTab(p, 'timeline');
    expect(asked(h.session)).toEqual([]); // not connected: the adapter could not pass it on
    h.emit('loopscope/status', { state: 'waiting', message: 'Waiting…' });
    expect(asked(h.session)).toEqual([]);
    h.emit('loopscope/status', connected);
    expect(asked(h.session)).toEqual([true]);
  });

  it('moves to the new current session: the previous one goes back off, the new one is asked once connected', () => {
    h = activateWithSession();
    h.emit('loopscope/status', connected);
    const p = openPanel();
    showTab(p, 'timeline');
    const second = new FakeDebugSession('s2', 'loopscope');
    fake.debugEvents.start.fire(second);
    expect(asked(h.session)).toEqual([true, false]);
    expect(asked(second)).toEqual([]);
    status(second, connected);
    expect(asked(second)).toEqual([true]);
    // The first session becomes the current one again (its thread selected in the Call Stack).
    fake.debugEvents.active.fire(h.session);
    expect(asked(second)).toEqual([true, false]);
    expect(asked(h.session)).toEqual([true, false, true]);
  });

  it('asks nothing of an ended session', () => {
    h = activateWithSession();
    h.emit('loopscope/status', connected);
    const p = openPanel();
    showTab(p, 'timeline');
    fake.debugEvents.terminate.fire(h.session);
    showTab(p, 'graph');
    p.dispose();
    expect(asked(h.session)).toEqual([true]);
  });

  it('leaves a session whose launch configuration asked for the timeline recording all along', () => {
    h = activateWithSession();
    h.session.configuration.timeline = true;
    h.emit('loopscope/status', connected);
    const p = openPanel();
    showTab(p, 'timeline');
    showTab(p, 'graph');
    showTab(p, 'timeline');
    p.dispose();
    expect(asked(h.session)).toEqual([]);
  });

  it('a failing request does not break the panel, and is asked again on the next change', async () => {
    let fail = true;
    h = activateWithSession({
      'loopscope/setOptions': (args: { timeline: boolean }) => {
        if (fail) throw new Error('Cannot change options: the program has not loaded the Loopscope runtime (yet).');
        return args;
      },
    });
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'main', state: 'running' })]));
    h.emit('loopscope/status', connected);
    const p = openPanel();
    showTab(p, 'timeline');
    expect(asked(h.session)).toEqual([true]);
    await settle();
    // The panel still answers the page.
    p.webview.received.fire({ type: 'ready' });
    expect(p.webview.posted.filter((m) => (m as { type: string }).type === 'snapshot')).toHaveLength(2);
    fail = false;
    h.emit('loopscope/status', connected); // the runtime (re)connects
    expect(asked(h.session)).toEqual([true, true]);
    await settle();
    h.emit('loopscope/status', connected);
    expect(asked(h.session)).toEqual([true, true]); // answered: not asked again
  });
});
