/**
 * The Tasks view's data provider: a thin layer over the current session's TaskTreeModel. It fires
 * onDidChangeTreeData with exactly the rows the model reports, tells the model when the view is
 * hidden (nothing is refreshed then), redraws its rows once a second while time moves (durations and
 * countdowns), and
 * carries the view's filters, search, folding and grouping from one session to the next.
 */
import * as vscode from 'vscode';
import type { SiteFilter } from '../../../runtime/src/protocol/locations';
import type { GroupBy, ModelUpdate, TaskTreeModel } from '../model/taskTreeModel';
import type { MoreNode, TreeNode } from '../model/treeNodes';
import type { LoopscopeSessions, SessionState } from '../session/loopscopeSessions';
import { contextFor, treeItemFor } from './taskTreeItem';

export interface TreePrefs {
  hideFinished: boolean;
  fold: boolean;
  search: string;
  /** Under their creators, or grouped by where they are suspended. */
  groupBy: GroupBy;
  /** Only the tasks suspended at this site (null: all). */
  site: SiteFilter | null;
}

/** How often the shown durations are redrawn while the loop runs. */
const DURATIONS_MS = 1000;

export class TasksTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: SessionState | undefined;
  private unsubscribe: (() => void) | undefined;
  private visible = true;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Called after each update with the model shown (the view's message and badge follow it). */
  onDidRefresh: ((state: SessionState | undefined) => void) | undefined;

  constructor(
    private readonly sessions: LoopscopeSessions,
    readonly prefs: TreePrefs,
  ) {
    this.disposables.push(this.changed, sessions.onDidChangeCurrent((s) => this.show(s)));
    this.show(sessions.current);
  }

  get model(): TaskTreeModel | undefined {
    return this.state?.model;
  }

  /** Follows the view's visibility (TreeView.onDidChangeVisibility). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.state?.model.setVisible(visible);
    this.updateTicker();
  }

  setHideFinished(hide: boolean): void {
    this.prefs.hideFinished = hide;
    this.model?.setHideFinished(hide);
  }

  setFold(fold: boolean): void {
    this.prefs.fold = fold;
    this.model?.setFold(fold);
  }

  setSearch(text: string): void {
    this.prefs.search = text;
    this.model?.setSearch(text);
  }

  setGroupBy(groupBy: GroupBy): void {
    this.prefs.groupBy = groupBy;
    this.model?.setGroupBy(groupBy);
  }

  setSiteFilter(site: SiteFilter | null): void {
    this.prefs.site = site;
    this.model?.setSiteFilter(site);
  }

  showMore(node: MoreNode): void {
    this.model?.showMore(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const model = this.model;
    if (!model) return new vscode.TreeItem('');
    return treeItemFor(node, model, contextFor(model));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return this.model?.children(node) ?? [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.model?.parent(node);
  }

  dispose(): void {
    this.unsubscribe?.();
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.disposables) d.dispose();
  }

  private show(state: SessionState | undefined): void {
    if (state !== this.state) {
      this.unsubscribe?.();
      this.state = state;
      if (state) {
        const m = state.model;
        m.setHideFinished(this.prefs.hideFinished);
        m.setFold(this.prefs.fold);
        m.setSearch(this.prefs.search);
        m.setGroupBy(this.prefs.groupBy);
        m.setSiteFilter(this.prefs.site);
        m.setVisible(this.visible);
        this.unsubscribe = m.onDidUpdate((u) => this.update(u));
      }
      this.changed.fire(undefined);
    }
    this.updateTicker();
    this.onDidRefresh?.(state);
  }

  private update(u: ModelUpdate): void {
    if (u.tree === 'all') this.changed.fire(undefined);
    else if (u.tree?.length) this.changed.fire(u.tree);
    if (u.tree) this.onDidRefresh?.(this.state);
  }

  /** Durations tick only while they can move: view shown, session live, loop running. */
  private updateTicker(): void {
    const run = this.visible && !!this.state && !this.state.ended && !this.state.stopped;
    if (run && !this.ticker) this.ticker = setInterval(() => this.model?.tickDurations(), DURATIONS_MS);
    if (!run && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
