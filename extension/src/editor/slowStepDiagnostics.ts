/**
 * Slow task steps as warnings at the line each resumed at (the Problems panel and a squiggle):
 * "slow step: 150 ms in loader (resumed here, suspended at slow-step.ts:32): it held the loop, every
 * other task waited". One per line (its longest, and how many), kept after the session ends until a
 * new Loopscope session starts, as never-awaited coroutines are: a run's facts, not its state.
 */
import * as vscode from 'vscode';
import { slowStepDiagnostic, slowStepLine } from '../../../runtime/src/protocol/slowStepText';
import { DEBUG_TYPE } from '../../../adapter/src/dapCustom';
import { SlowStepIndex } from '../model/slowSteps';
import type { LoopscopeSessions } from '../session/loopscopeSessions';

interface Found {
  ended: boolean;
  index: SlowStepIndex;
}

export class SlowStepDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('loopscope-slow-steps');
  private readonly bySession = new Map<string, Found>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(sessions: LoopscopeSessions) {
    this.disposables.push(
      this.collection,
      sessions.onDidReceive((e) => {
        if (e.event !== 'loopscope/slowStep') return;
        let f = this.bySession.get(e.state.session.id);
        if (!f) this.bySession.set(e.state.session.id, (f = { ended: false, index: new SlowStepIndex() }));
        f.index.add(e.body);
        this.publish();
      }),
      sessions.onDidEnd((state) => {
        const f = this.bySession.get(state.session.id);
        if (f) f.ended = true;
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
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
      for (const { longest, count } of f.index.lines()) {
        const at = slowStepLine(longest)!;
        const key = `${at.file}:${at.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The whole line (the editor clamps the end to its length).
        const range = new vscode.Range(at.line - 1, Math.max(0, (at.column ?? 1) - 1), at.line - 1, Number.MAX_SAFE_INTEGER);
        const more = count > 1 ? ` (${count} slow steps began here; the longest is shown)` : '';
        const d = new vscode.Diagnostic(range, `${slowStepDiagnostic(longest)}${more}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'Loopscope';
        d.code = 'slow-step';
        let list = byFile.get(at.file);
        if (!list) byFile.set(at.file, (list = []));
        list.push(d);
      }
    }
    this.collection.clear();
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }
}
