import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, type FakeWebviewPanel } from './fakes/vscode';
import { task, snapshot, delta, frame } from './records';
import { inspectorHtml, contentSecurityPolicy } from '../../extension/src/inspector/inspectorHtml';
import { parseWebviewMessage } from '../../extension/src/inspector/parseWebviewMessage';

let h: Harness;
afterEach(() => h?.dispose());

function openPanel(): FakeWebviewPanel {
  void h.run('loopscope.openInspector');
  return fake.panels.at(-1)!;
}

describe('Task Inspector page', () => {
  it('has a strict CSP with this load\'s nonce on the only script, and no inline code', () => {
    h = activateWithSession();
    const html = openPanel().webview.html;
    // The attribute is HTML-escaped; the browser reads it decoded.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(csp).toBe(`default-src 'none'; script-src 'nonce-${nonce}'; style-src vscode-resource://fake-csp-source; font-src vscode-resource://fake-csp-source`);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toContain(`nonce="${nonce}"`);
    expect(scripts[0]![1]).toContain('src="vscode-resource:///ext/dist/webview/main.js"');
    expect(scripts[0]![2]).toBe('');
    expect(html).toContain('href="vscode-resource:///ext/dist/webview/style.css"');
    expect(html).toContain('href="vscode-resource:///ext/dist/webview/codicon.css"');
    expect(html).not.toMatch(/\son[a-z]+=|<style|style="/i);
    // A new page load gets a new nonce.
    fake.panels.at(-1)!.dispose();
    const again = openPanel().webview.html;
    expect(again).not.toContain(nonce);
  });

  it('escapes every value it inserts', () => {
    const html = inspectorHtml({ cspSource: 'x" onload="alert(1)', nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA', scriptUri: '"><script>alert(1)</script>', styleUri: "a'b", codiconsUri: 'c&d' });
    expect(html).not.toContain('"><script>alert(1)');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('x&quot; onload=&quot;alert(1)');
    expect(html).toContain('a&#39;b');
    expect(html).toContain('c&amp;d');
    expect(() => inspectorHtml({ cspSource: 's', nonce: "x' 'unsafe-inline", scriptUri: '', styleUri: '', codiconsUri: '' })).toThrow(/nonce/);
    expect(contentSecurityPolicy('S', 'N')).not.toContain('unsafe');
  });

  it('is created with scripts on, only the webview folder readable, and no retained context', () => {
    h = activateWithSession();
    const p = openPanel();
    expect(p.viewType).toBe('loopscope.inspector');
    expect(p.options.enableScripts).toBe(true);
    expect(p.options.retainContextWhenHidden).toBe(false);
    expect(p.options.localResourceRoots?.map((u) => u.fsPath)).toEqual(['/ext/dist/webview']);
    void h.run('loopscope.openInspector');
    expect(fake.panels).toHaveLength(1);
    expect(p.revealed).toBe(1);
  });
});

describe('Task Inspector messages', () => {
  it('sends the state when the page is ready, then forwards the stream, never while hidden', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'main', state: 'running' })], { seq: 3 }));
    const p = openPanel();
    h.emit('loopscope/delta', delta([task(1, { name: 'main', state: 'suspended' })]));
    expect(p.webview.posted).toEqual([]); // not ready yet
    p.webview.received.fire({ type: 'ready' });
    expect(p.webview.posted.map((m) => (m as { type: string }).type)).toEqual(['snapshot', 'select']);
    const snap = (p.webview.posted[0] as { snapshot: { tasks: { state: string }[] } }).snapshot;
    expect(snap.tasks.map((t) => t.state)).toEqual(['suspended']); // the state as of now
    const d = delta([task(1, { name: 'main', state: 'ready' })]);
    h.emit('loopscope/delta', d);
    h.emit('loopscope/stopped', { reason: 'step', taskId: 1, description: 'main stepped' });
    h.emit('loopscope/continued', {});
    expect(p.webview.posted.slice(2)).toEqual([
      { type: 'delta', delta: d },
      { type: 'stopped', reason: 'step', taskId: 1, description: 'main stepped' },
      { type: 'continued' },
    ]);
    p.visible = false;
    p.viewState.fire({});
    h.emit('loopscope/delta', delta([task(1, { name: 'main', state: 'running' })]));
    expect(p.webview.posted).toHaveLength(5);
    p.visible = true;
    p.viewState.fire({});
    p.webview.received.fire({ type: 'ready' }); // the page reloads when shown again
    expect((p.webview.posted[5] as { type: string }).type).toBe('snapshot');
    fake.debugEvents.terminate.fire(h.session);
    expect(p.webview.posted.at(-1)).toEqual({ type: 'ended' });
  });

  it('replays the timeline kept while hidden when the page loads again', () => {
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot([task(1, { name: 'main', state: 'running' })], { seq: 1 }));
    const p = openPanel();
    h.emit('loopscope/delta', delta([], { events: [[2, 1, 5], [3, 1, 6]], dropped: 1 }));
    p.webview.received.fire({ type: 'ready' });
    expect(p.webview.posted[1]).toMatchObject({ type: 'delta', delta: { tasks: [], events: [[2, 1, 5], [3, 1, 6]], dropped: 1 } });
  });

  it('acts on reveal, selectTask and cancelTask, and ignores anything else', async () => {
    h = activateWithSession({ 'loopscope/cancelTask': { cancelled: true } });
    h.emit('loopscope/snapshot', snapshot([task(4, { name: 'w', state: 'suspended' })]));
    const p = openPanel();
    p.webview.received.fire({ type: 'ready' });
    p.webview.received.fire({ type: 'reveal', frame: frame('/w/a.ts', 7) });
    p.webview.received.fire({ type: 'selectTask', taskId: 4 });
    p.webview.received.fire({ type: 'cancelTask', taskId: 4 });
    p.webview.received.fire({ type: 'runCommand', command: 'workbench.action.terminal.new' });
    p.webview.received.fire({ type: 'cancelTask', taskId: '4; rm -rf /' });
    await vi.waitFor(() => expect(h.session.requests.filter((r) => r.command === 'loopscope/cancelTask')).toHaveLength(1));
    expect(fake.shownDocuments.map((d) => d.uri.fsPath)).toEqual(['/w/a.ts']);
    expect(h.view.revealed.map((r) => (r.element as { key: string }).key)).toEqual(['t4']);
    // The selection made in the panel is not echoed back to it.
    expect(p.webview.posted.filter((m) => (m as { type: string }).type === 'select')).toEqual([{ type: 'select', taskId: null }]);
  });

  it('parseWebviewMessage accepts only the documented shapes', () => {
    expect(parseWebviewMessage({ type: 'reveal', frame: { file: '/a.ts', line: 3 } })).toEqual({ type: 'reveal', frame: { file: '/a.ts', line: 3, column: 1, function: '' } });
    expect(parseWebviewMessage({ type: 'reveal', frame: { file: '/a.ts', line: 0 } })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'selectTask', taskId: 1.5 })).toBeUndefined();
    expect(parseWebviewMessage(null)).toBeUndefined();
    expect(parseWebviewMessage('ready')).toBeUndefined();
    expect(parseWebviewMessage({ type: 'view', view: 'timeline' })).toEqual({ type: 'view', view: 'timeline' });
    expect(parseWebviewMessage({ type: 'view', view: 'settings' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'view' })).toBeUndefined();
  });
});
