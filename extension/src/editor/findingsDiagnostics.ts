/**
 * Await cycles and stuck tasks as warnings at their source lines (the Problems panel and squiggles),
 * and in the model (the Tasks view marks those rows). Finding them costs a pass over every task,
 * so it runs at most once per `intervalMs` while tasks change — and no more than a tenth of the
 * time when a pass is slow (100,000 tasks) — and at once when the loop stops.
 */
import * as vscode from 'vscode';
import { computeFindings, findingsByLine, type LineFinding } from '../model/findings';
import type { TaskStore } from '../model/taskStore';
import { followCurrentModel } from '../session/followCurrent';
import type { LoopscopeSessions, SessionState } from '../session/loopscopeSessions';

export class FindingsDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('loopscope');
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRun = -Infinity;
  /** How long the last pass took (ms). */
  private lastCost = 0;
  private state: SessionState | undefined;

  constructor(
    sessions: LoopscopeSessions,
    /** No progress for this long counts as stuck (0: off). */
    private readonly stuckAfterMs: () => number,
    private readonly intervalMs = 1000,
    /** Called after each run (the view's badge follows the count). */
    private readonly onDidRun: () => void = () => {},
  ) {
    this.disposables.push(
      this.collection,
      followCurrentModel(sessions, (u, state) => {
        this.state = state;
        if (!state || state.ended) return this.clear();
        if (u === 'switched') return this.schedule(!!state.stopped);
        if (u.tasks?.size) this.schedule(false);
      }),
    );
  }

  /** Recomputes now (tests, and a stop). */
  run(): void {
    this.cancelTimer();
    this.lastRun = Date.now();
    const state = this.state;
    if (!state || state.ended) return this.clear();
    const findings = computeFindings(state.model.store, this.stuckAfterMs());
    this.lastCost = Date.now() - this.lastRun;
    state.model.setFindings(findings);
    this.publish(findingsByLine(findings, state.model.store), state.model.store);
    this.onDidRun();
  }

  dispose(): void {
    this.cancelTimer();
    for (const d of this.disposables) d.dispose();
  }

  private schedule(now: boolean): void {
    if (now) return this.run();
    if (this.timer) return;
    const gap = Math.max(this.intervalMs, 10 * this.lastCost);
    this.timer = setTimeout(() => this.run(), Math.max(0, this.lastRun + gap - Date.now()));
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private clear(): void {
    this.cancelTimer();
    this.collection.clear();
  }

  private publish(lines: LineFinding[], store: TaskStore): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of lines) {
      const d = new vscode.Diagnostic(lineRange(f.line, f.column), f.message, vscode.DiagnosticSeverity.Warning);
      d.source = 'Loopscope';
      d.code = f.reason === 'cycle' ? 'await-cycle' : `stuck-${f.reason}`;
      d.relatedInformation = related(f, store);
      let list = byFile.get(f.file);
      if (!list) byFile.set(f.file, (list = []));
      list.push(d);
    }
    this.collection.clear();
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
  }
}

function lineRange(line: number, column: number): vscode.Range {
  // To the end of the line: the editor clamps the end to the line's length.
  return new vscode.Range(line - 1, Math.max(0, column - 1), line - 1, Number.MAX_SAFE_INTEGER);
}

/** For a cycle, where each of its other members waits. */
function related(f: LineFinding, store: TaskStore): vscode.DiagnosticRelatedInformation[] | undefined {
  const out: vscode.DiagnosticRelatedInformation[] = [];
  for (const id of f.cycle ?? []) {
    const t = store.tasks.get(id);
    if (!t?.location || f.taskIds.includes(id)) continue;
    const at = new vscode.Location(vscode.Uri.file(t.location.file), lineRange(t.location.line, t.location.column));
    out.push(new vscode.DiagnosticRelatedInformation(at, `${t.name} waits here`));
  }
  return out.length ? out : undefined;
}
