/**
 * The Loopscope debug sessions and their models: each session's `loopscope/*` custom events feed its
 * TaskTreeModel; the views show the "current" session (the one the user is debugging, or the last
 * one, kept visible as ended after it stops).
 */
import * as vscode from 'vscode';
import { errorText, log } from '../log';
import type { CustomEventName, CustomEvents } from '../../../adapter/src/dapCustom';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';
import { TaskTreeModel, type ModelOptions } from '../model/taskTreeModel';
import { customRequest } from './customRequest';
import { loopscopeRoot } from './rootSession';

export interface SessionState {
  session: vscode.DebugSession;
  model: TaskTreeModel;
  status?: CustomEvents['loopscope/status'];
  /** The last stop, while stopped. */
  stopped?: CustomEvents['loopscope/stopped'];
  /** The loop's lag over the last second it ran steps (the status bar shows it while running). */
  lag?: CustomEvents['loopscope/loopLag'];
  ended: boolean;
}

/** Whether the session's loop is stopped now (its ready queue is worth showing). */
function stoppedNow(state: SessionState): boolean {
  return state.stopped !== undefined && !state.ended;
}

/** A custom event of a Loopscope session, typed. */
export type SessionEvent = {
  [K in CustomEventName]: { state: SessionState; event: K; body: CustomEvents[K] };
}[CustomEventName];

export class LoopscopeSessions implements vscode.Disposable {
  private readonly states = new Map<string, SessionState>();
  private currentState: SessionState | undefined;
  private readonly changed = new vscode.EventEmitter<SessionState | undefined>();
  private readonly received = new vscode.EventEmitter<SessionEvent>();
  private readonly ended = new vscode.EventEmitter<SessionState>();
  private readonly disposables: vscode.Disposable[] = [];

  /** The session the views show changed (or its stop state did). */
  readonly onDidChangeCurrent = this.changed.event;
  /** Every custom event of every Loopscope session, after its model was updated. */
  readonly onDidReceive = this.received.event;
  readonly onDidEnd = this.ended.event;

  constructor(private readonly modelOptions: () => ModelOptions) {
    this.disposables.push(
      this.changed,
      this.received,
      this.ended,
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.setCurrent(this.ensure(s));
      }),
      vscode.debug.onDidChangeActiveDebugSession((s) => {
        const root = loopscopeRoot(s);
        const state = root && this.states.get(root.id);
        if (state) this.setCurrent(state);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.end(s)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE && e.event.startsWith('loopscope/')) this.handle(e.session, e.event as CustomEventName, e.body);
      }),
    );
  }

  get current(): SessionState | undefined {
    return this.currentState;
  }

  /** The current session if it is still running (what commands act on). */
  get live(): SessionState | undefined {
    return this.currentState && !this.currentState.ended ? this.currentState : undefined;
  }

  stateOf(session: vscode.DebugSession | undefined): SessionState | undefined {
    const root = loopscopeRoot(session);
    return root && this.states.get(root.id);
  }

  dispose(): void {
    for (const s of this.states.values()) s.model.dispose();
    this.states.clear();
    for (const d of this.disposables) d.dispose();
  }

  private ensure(session: vscode.DebugSession): SessionState {
    let state = this.states.get(session.id);
    if (!state) {
      state = { session, model: new TaskTreeModel(this.modelOptions()), ended: false };
      this.states.set(session.id, state);
    }
    return state;
  }

  private setCurrent(state: SessionState): void {
    if (this.currentState === state) return;
    const previous = this.currentState;
    this.currentState = state;
    // An ended session is kept only while it is the one shown.
    if (previous?.ended) this.drop(previous);
    this.changed.fire(state);
  }

  private drop(state: SessionState): void {
    state.model.dispose();
    this.states.delete(state.session.id);
  }

  private end(session: vscode.DebugSession): void {
    const state = this.states.get(session.id);
    if (!state) return;
    state.ended = true;
    state.stopped = undefined;
    state.model.setPaused(false);
    this.ended.fire(state);
    if (state === this.currentState) this.changed.fire(state);
    else this.drop(state);
  }

  private handle(session: vscode.DebugSession, event: CustomEventName, body: unknown): void {
    const state = this.ensure(session);
    if (!this.currentState || this.currentState.ended) this.setCurrent(state);
    const model = state.model;
    switch (event) {
      case 'loopscope/snapshot': {
        const snap = body as CustomEvents['loopscope/snapshot'];
        log().info(`${session.name}: snapshot of ${snap.tasks.length} tasks (seq ${snap.seq})`);
        model.applySnapshot(snap);
        break;
      }
      case 'loopscope/delta': {
        const d = body as CustomEvents['loopscope/delta'];
        log().trace(`${session.name}: delta seq ${d.seq}, ${d.tasks.length} tasks changed`);
        model.applyDelta(d);
        // While stopped only a command changes tasks (a cancel wakes its task): the ready queue
        // changed with it, and its section must say so.
        if (stoppedNow(state) && d.tasks.length) void this.loadReadyQueue(state);
        break;
      }
      case 'loopscope/stopped':
        state.stopped = body as CustomEvents['loopscope/stopped'];
        log().info(`${session.name}: stopped (${state.stopped.reason}): ${state.stopped.description}`);
        model.setPaused(true);
        void this.loadReadyQueue(state);
        if (state === this.currentState) this.changed.fire(state);
        break;
      case 'loopscope/continued':
        log().info(`${session.name}: continued`);
        state.stopped = undefined;
        model.setPaused(false);
        if (state === this.currentState) this.changed.fire(state);
        break;
      case 'loopscope/slowStep':
        model.addSlowStep(body as CustomEvents['loopscope/slowStep']);
        break;
      case 'loopscope/loopLag':
        state.lag = body as CustomEvents['loopscope/loopLag'];
        break;
      case 'loopscope/status':
        state.status = body as CustomEvents['loopscope/status'];
        if (state === this.currentState) this.changed.fire(state);
        break;
    }
    this.received.fire({ state, event, body } as SessionEvent);
  }

  /** Sessions whose ready queue is being read: true when it must be read again once that answer is in. */
  private readonly readyLoads = new Map<SessionState, boolean>();

  private async loadReadyQueue(state: SessionState): Promise<void> {
    if (this.readyLoads.has(state)) {
      this.readyLoads.set(state, true);
      return;
    }
    this.readyLoads.set(state, false);
    try {
      await this.readReadyQueue(state);
    } finally {
      const again = this.readyLoads.get(state);
      this.readyLoads.delete(state);
      if (again && stoppedNow(state)) void this.loadReadyQueue(state);
    }
  }

  private async readReadyQueue(state: SessionState): Promise<void> {
    try {
      const q = await customRequest(state.session, 'loopscope/readyQueue', {});
      // Still stopped at the same place? (a continue may have come in meanwhile)
      const current = stoppedNow(state);
      log().info(`${state.session.name}: ready queue: ${q.taskIds.length} tasks, ${q.callbacks} callbacks${current ? '' : ' (ignored: running again)'}`);
      if (current) state.model.setReadyQueue(q);
    } catch (e) {
      // The adapter may have gone; the section simply stays absent.
      log().warn(`${state.session.name}: could not read the ready queue: ${errorText(e)}`);
    }
  }
}
