/**
 * A Tasks-view row as a TreeItem: label, description in words, icon and colour per state, an
 * escaped Markdown tooltip, the context value the menus test, and a stable id.
 */
import * as vscode from 'vscode';
import { describeContext, shortLocation, type DescribeContext } from '../../../runtime/src/protocol/describe';
import { locationLabel, locationWords } from '../../../runtime/src/protocol/locations';
import type { TaskTreeModel } from '../model/taskTreeModel';
import { findingWord, groupDescription, locationDescription, taskDescription, taskTooltip } from '../model/taskText';
import { escapeMarkdown } from '../model/markdown';
import { slowStepShort } from '../../../runtime/src/protocol/slowStepText';
import type { GroupNode, LocationNode, MoreNode, ReadySectionNode, TaskLikeNode, TreeNode } from '../model/treeNodes';
import { taskContextValue } from './contextValue';
import { stateIcon } from './stateIcons';

export const SHOW_MORE_COMMAND = 'loopscope.tasks.showMore';

export function contextFor(model: TaskTreeModel, wallNow = Date.now()): DescribeContext {
  return describeContext(model.store.loopNow(wallNow), model.store.tasks, model.store.resources);
}

export function treeItemFor(node: TreeNode, model: TaskTreeModel, ctx: DescribeContext = contextFor(model)): vscode.TreeItem {
  switch (node.kind) {
    case 'task':
    case 'readyItem':
      return taskItem(node, model, ctx);
    case 'group':
      return groupItem(node, model, ctx);
    case 'location':
      return locationItem(node, model, ctx);
    case 'more':
      return moreItem(node);
    case 'readySection':
      return readySectionItem(node);
  }
}

function collapsible(expandable: boolean): vscode.TreeItemCollapsibleState {
  return expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
}

function markdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, true);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function taskItem(node: TaskLikeNode, model: TaskTreeModel, ctx: DescribeContext): vscode.TreeItem {
  const t = model.store.tasks.get(node.taskId);
  if (!t) {
    const gone = new vscode.TreeItem(`task #${node.taskId}`, vscode.TreeItemCollapsibleState.None);
    gone.id = node.key;
    gone.description = 'no longer known';
    return gone;
  }
  const expandable = node.kind === 'task' && model.hasChildren(node);
  // A top-level task (main) starts expanded, so its workers show. VS Code keeps a row's expansion
  // by its id across refreshes, and ids repeat from one session to the next (task #1 is main
  // again): the row's id names its session, so it starts expanded in every session.
  const root = expandable && model.parent(node) === undefined;
  const item = new vscode.TreeItem(t.name, root ? vscode.TreeItemCollapsibleState.Expanded : collapsible(expandable));
  item.id = root ? `${node.key}@${model.generation}` : node.key;
  const stuck = model.findings.stuck.get(t.id);
  // Stuck and deadlocked tasks say so in words, not only by their icon (screen readers, and users
  // who do not know the icons).
  const slow = model.slowSteps.ofTask(t.id);
  const described = slow ? `${slowStepShort(slow)} · ${taskDescription(t, ctx)}` : taskDescription(t, ctx);
  const words = stuck ? `${findingWord(stuck)} · ${described}` : described;
  item.description = node.kind === 'readyItem' ? `#${node.position} in line · ${words}` : words;
  item.iconPath = stateIcon(t.state, stuck);
  item.tooltip = markdown(taskTooltip(t, ctx, stuck, slow));
  item.contextValue = taskContextValue(t);
  item.accessibilityInformation = { label: stuck ? `${t.name}, ${words}: ${stuck.text}` : `${t.name}, ${words}` };
  return item;
}

function groupItem(node: GroupNode, model: TaskTreeModel, ctx: DescribeContext): vscode.TreeItem {
  const sample = model.store.tasks.get(node.sampleId);
  const item = new vscode.TreeItem(`× ${node.count.toLocaleString('en-US')} ${node.label}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.key;
  item.contextValue = 'loopscopeGroup';
  if (sample) {
    item.description = groupDescription(sample, ctx);
    item.iconPath = stateIcon(sample.state);
    item.tooltip = markdown(
      `**${node.count.toLocaleString('en-US')} identical tasks** named ${escapeMarkdown(node.label)}…  \n${escapeMarkdown(item.description)}  \nSame state, same await, same subtree: expand to list them.`,
    );
  }
  return item;
}

/** A location group: "× 500 suspended at crawler.ts:22 on Queue.get", what they share and some names. */
function locationItem(node: LocationNode, model: TaskTreeModel, ctx: DescribeContext): vscode.TreeItem {
  const first = node.members.values().next();
  const sample = first.done ? undefined : model.store.tasks.get(first.value);
  const count = node.members.size;
  // Filtered to one site, its group is what the user asked to see: open. The filter is part of the
  // id, because VS Code keeps a row's expansion by id and would otherwise keep it closed.
  const filter = model.siteFilter;
  const item = new vscode.TreeItem(sample ? locationLabel(sample, count) : `× ${count}`, filter ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = filter ? `${node.key}@${filter.file}:${filter.line}` : node.key;
  item.contextValue = node.site ? 'loopscopeLocation atSite' : 'loopscopeLocation';
  if (!sample) return item;
  item.description = locationDescription(node.members, count, sample, ctx);
  item.iconPath = stateIcon(sample.state);
  const words = locationWords(sample);
  const where = node.site ? `  \nAt ${escapeMarkdown(node.site.file)}:${node.site.line}` : '';
  item.tooltip = markdown(
    `**${count.toLocaleString('en-US')} task${count === 1 ? '' : 's'}** ${escapeMarkdown(words)}${where}  \n${escapeMarkdown(item.description)}  \nExpand to list them, the longest here first.`,
  );
  item.accessibilityInformation = { label: `${count} task${count === 1 ? '' : 's'} ${words}: ${item.description}` };
  return item;
}

/** The site a location group or a suspended task's row stands for (the "Show Only Tasks Suspended Here" filter). */
export function siteOfRow(node: TreeNode, model: TaskTreeModel): { file: string; line: number } | undefined {
  if (node.kind === 'location') return node.site;
  if (node.kind !== 'task' && node.kind !== 'readyItem') return undefined;
  const t = model.store.tasks.get(node.taskId);
  return t?.state === 'suspended' && t.location ? { file: t.location.file, line: t.location.line } : undefined;
}

/** `crawler.ts:22`, as the view's description shows a site filter. */
export function siteWords(site: { file: string; line: number }): string {
  return shortLocation(site);
}

function moreItem(node: MoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(`… ${node.hidden.toLocaleString('en-US')} more`, vscode.TreeItemCollapsibleState.None);
  item.id = node.key;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.contextValue = 'loopscopeMore';
  item.command = { command: SHOW_MORE_COMMAND, title: 'Show More', arguments: [node] };
  return item;
}

function readySectionItem(node: ReadySectionNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Ready queue', node.count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = node.key;
  const callbacks = node.callbacks ? `, ${node.callbacks} callback${node.callbacks === 1 ? '' : 's'}` : '';
  item.description = `${node.count} task${node.count === 1 ? '' : 's'}${callbacks}, in scheduling order`;
  item.iconPath = new vscode.ThemeIcon('list-ordered');
  item.contextValue = 'loopscopeReadyQueue';
  return item;
}
