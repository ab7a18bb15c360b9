/**
 * Never-awaited coroutines as warnings at the lines that made them (the Problems panel and a
 * squiggle under the call): "coroutine 'worker' was never awaited: call it with yield* or pass it
 * to createTask". Unlike stuck tasks, these are facts about the run, not its present state: they stay
 * after the session ends (a program that forgot a `yield*` often ends at once) until a new Loopscope
 * session starts, which replaces the findings of every session that has ended.
 */
import * as vscode from 'vscode';
import { neverAwaitedKey, neverAwaitedText } from '../../../runtime/src/protocol/neverAwaitedText';
import type { NeverAwaitedCoroutine } from '../../../runtime/src/protocol/wire';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';
import type { LoopscopeSessions } from '../session/loopscopeSessions';

/** Kept at most per session (the runtime reports each call site once). */
const MAX_PER_SESSION = 10_000;

interface Findings {
  ended: boolean;
  byKey: Map<string, NeverAwaitedCoroutine>;
}

export class NeverAwaitedDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('loopscope-never-awaited');
  private readonly bySession = new Map<string, Findings>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(sessions: LoopscopeSessions) {
    this.disposables.push(
      this.collection,
      sessions.onDidReceive((e) => {
        if (e.event !== 'loopscope/neverAwaited') return;
        let f = this.bySession.get(e.state.session.id);
        if (!f) this.bySession.set(e.state.session.id, (f = { ended: false, byKey: new Map() }));
        let added = false;
        for (const c of e.body.coroutines ?? []) {
          const key = neverAwaitedKey(c);
          if (f.byKey.has(key) || f.byKey.size >= MAX_PER_SESSION) continue;
          f.byKey.set(key, c);
          added = true;
        }
        if (added) this.publish();
      }),
      sessions.onDidEnd((state) => {
        const f = this.bySession.get(state.session.id);
        if (f) f.ended = true;
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        // A new run: what ended runs found is old news.
        let dropped = false;
        for (const [id, f] of this.bySession) {
          if (f.ended) {
            this.bySession.delete(id);
            dropped = true;
          }
        }
        if (dropped) this.publish();
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private publish(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const seen = new Set<string>();
    for (const f of this.bySession.values()) {
      for (const [key, c] of f.byKey) {
        if (seen.has(key)) continue;
        seen.add(key);
        const { file, line, column } = c.location;
        // From the call to the end of its line (the editor clamps the end to the line's length).
        const range = new vscode.Range(line - 1, Math.max(0, column - 1), line - 1, Number.MAX_SAFE_INTEGER);
        const d = new vscode.Diagnostic(range, neverAwaitedText(c, false), vscode.DiagnosticSeverity.Warning);
        d.source = 'Loopscope';
        d.code = 'never-awaited';
        let list = byFile.get(file);
        if (!list) byFile.set(file, (list = []));
        list.push(d);
      }
    }
    this.collection.clear();
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }
}
