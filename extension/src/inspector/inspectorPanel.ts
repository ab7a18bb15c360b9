/**
 * The host side of the Task Inspector panel: creates (or restores) the webview, serves its page,
 * forwards the current session's stream to it (snapshot, deltas, stops, the end, the selected
 * task) and acts on what it asks (reveal a source line, select or cancel a task).
 *
 * No retainContextWhenHidden: a hidden panel's page is discarded, so nothing is posted while it is
 * hidden and, when it is shown again, its page says 'ready' and gets a fresh snapshot of the state
 * followed by the timeline history the host kept (TimelineBuffer).
 *
 * The page says which tab it shows; while that is the Timeline and the panel is visible, the
 * session records the timeline (TimelineRecording).
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { HostToWebview, PersistedState } from '../../../webview/src/messages';
import { TaskCommand } from '../commands/taskCommands';
import { revealFrame } from '../commands/revealSource';
import { snapshotOf } from '../model/storeSnapshot';
import { TimelineBuffer } from '../model/timelineBuffer';
import type { LoopscopeSessions, SessionEvent, SessionState } from '../session/loopscopeSessions';
import type { TaskSelection } from '../tasksView/taskSelection';
import { inspectorHtml } from './inspectorHtml';
import { parseWebviewMessage } from './parseWebviewMessage';
import { TimelineRecording } from './timelineRecording';

export const INSPECTOR_VIEW_TYPE = 'loopscope.inspector';
export const OPEN_INSPECTOR_COMMAND = 'loopscope.openInspector';

export class InspectorPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The page has said 'ready' since it was last (re)loaded. */
  private ready = false;
  /** The session whose stream the page has. */
  private shown: SessionState | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  /** The current session's recent timeline events, replayed to a page that (re)loads. */
  readonly timeline = new TimelineBuffer();
  private timelineOf: SessionState | undefined;
  /** The tab the page last said it shows (kept while the panel is hidden: a reloaded page restores it). */
  private view: PersistedState['view'] | undefined;
  private readonly recording: TimelineRecording;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: LoopscopeSessions,
    private readonly selection: TaskSelection,
  ) {
    this.recording = new TimelineRecording(sessions);
    this.disposables.push(
      this.recording,
      sessions.onDidReceive((e) => {
        this.record(e);
        this.forward(e);
      }),
      sessions.onDidEnd((s) => {
        if (s === this.shown) this.post({ type: 'ended' });
      }),
      sessions.onDidChangeCurrent((s) => {
        if (s !== this.shown) this.sendState();
      }),
      selection.onDidChange(({ taskId, source }) => {
        if (source !== 'inspector') this.post({ type: 'select', taskId });
      }),
    );
  }

  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** Shows the panel, creating it if needed. */
  open(): void {
    if (this.panel) return this.panel.reveal(undefined, false);
    const panel = vscode.window.createWebviewPanel(INSPECTOR_VIEW_TYPE, 'Task Inspector', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
    this.attach(panel);
  }

  /** Takes over a panel VS Code restored after a reload (WebviewPanelSerializer). */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.attach(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.distUri()], retainContextWhenHidden: false };
  }

  private distUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.view = undefined; // until the new page says
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [this.distUri()] };
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.distUri(), name)).toString();
    webview.html = inspectorHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asset('main.js'),
      styleUri: asset('style.css'),
      codiconsUri: asset('codicon.css'),
    });
    this.panelDisposables = [
      webview.onDidReceiveMessage((m) => void this.receive(m)),
      panel.onDidChangeViewState(() => {
        // A hidden page is discarded: it will say 'ready' again when shown.
        if (!panel.visible) this.ready = false;
        this.updateRecording();
      }),
      panel.onDidDispose(() => {
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        if (this.panel === panel) this.panel = undefined;
        this.ready = false;
        this.updateRecording();
      }),
    ];
  }

  private updateRecording(): void {
    this.recording.setShowing(this.panel !== undefined && this.panel.visible && this.view === 'timeline');
  }

  private post(message: HostToWebview): void {
    if (!this.panel || !this.ready || !this.panel.visible) return;
    void this.panel.webview.postMessage(message);
  }

  /** Everything the page needs to start over: the current session's snapshot, stop, end, selection. */
  private sendState(): void {
    const state = this.sessions.current;
    this.shown = state;
    if (!state) return;
    const store = state.model.store;
    this.post({ type: 'snapshot', snapshot: snapshotOf(store) });
    if (this.timelineOf === state && (this.timeline.length || this.timeline.dropped)) {
      this.post({ type: 'delta', delta: { type: 'delta', seq: store.seq, time: store.time, tasks: [], events: this.timeline.events(), dropped: this.timeline.dropped } });
    }
    if (state.stopped) this.post({ type: 'stopped', reason: state.stopped.reason, taskId: state.stopped.taskId, description: state.stopped.description });
    if (state.ended) this.post({ type: 'ended' });
    this.post({ type: 'select', taskId: this.selection.taskId });
  }

  /** Keeps the current session's timeline events (whether or not a page is showing them). */
  private record(e: SessionEvent): void {
    if (e.event !== 'loopscope/delta' || e.state !== this.sessions.current) return;
    if (this.timelineOf !== e.state) {
      this.timeline.clear();
      this.timelineOf = e.state;
    }
    this.timeline.append(e.body.events ?? [], e.body.dropped ?? 0);
  }

  private forward(e: SessionEvent): void {
    if (e.state !== this.shown) return;
    switch (e.event) {
      case 'loopscope/snapshot':
        return this.post({ type: 'snapshot', snapshot: e.body });
      case 'loopscope/delta':
        return this.post({ type: 'delta', delta: e.body });
      case 'loopscope/stopped':
        return this.post({ type: 'stopped', reason: e.body.reason, taskId: e.body.taskId, description: e.body.description });
      case 'loopscope/continued':
        return this.post({ type: 'continued' });
      default:
        return;
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        return this.sendState();
      case 'reveal':
        return revealFrame(m.frame, vscode.ViewColumn.One);
      case 'selectTask':
        return this.selection.select(m.taskId, 'inspector');
      case 'cancelTask':
        await vscode.commands.executeCommand(TaskCommand.cancel, m.taskId);
        return;
      case 'view':
        this.view = m.view;
        return this.updateRecording();
    }
  }
}

export function registerInspector(context: { extensionUri: vscode.Uri }, sessions: LoopscopeSessions, selection: TaskSelection): vscode.Disposable {
  const inspector = new InspectorPanel(context.extensionUri, sessions, selection);
  return vscode.Disposable.from(
    inspector,
    vscode.commands.registerCommand(OPEN_INSPECTOR_COMMAND, () => inspector.open()),
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => inspector.restore(panel),
    }),
  );
}
