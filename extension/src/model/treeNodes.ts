/**
 * The elements of the Tasks tree. Each has a stable `key` (also the TreeItem id) and the same
 * object is handed out for the same key for as long as it exists, because VS Code matches the
 * elements of onDidChangeTreeData by identity.
 */

/** A task's own row (under its creator, inside a fold group, or at the top in search results). */
export interface TaskNode {
  kind: 'task';
  key: string;
  taskId: number;
}

/** Identical siblings folded into one row: "× 500 worker". */
export interface GroupNode {
  kind: 'group';
  key: string;
  /** The creator (or ROOT) whose children these are. */
  container: number;
  shape: number;
  /** Members when last listed, and one of them whose record describes the group. */
  count: number;
  sampleId: number;
  /** The shared name pattern ("worker"). */
  label: string;
}

/** The tail of a long list: "… 99,500 more". Activating it shows the next page. */
export interface MoreNode {
  kind: 'more';
  key: string;
  /** Key of the list it continues (see listKey). */
  list: string;
  hidden: number;
}

/** "Ready queue" while paused: the tasks whose steps are queued, in scheduling order. */
export interface ReadySectionNode {
  kind: 'readySection';
  key: 'ready';
  count: number;
  callbacks: number;
}

export interface ReadyItemNode {
  kind: 'readyItem';
  key: string;
  taskId: number;
  /** 1-based place in the queue. */
  position: number;
}

export type TreeNode = TaskNode | GroupNode | MoreNode | ReadySectionNode | ReadyItemNode;

/** Nodes that stand for one task (a context menu on either acts on it). */
export type TaskLikeNode = TaskNode | ReadyItemNode;

export const taskKey = (id: number): string => `t${id}`;
export const readyKey = (id: number): string => `r${id}`;
export const groupKey = (container: number, shape: number): string => `g${container}:${shape.toString(36)}`;
export const moreKey = (list: string): string => `m:${list}`;

/** Lists that can be paged: a container's children, a group's members, the search results. */
export const listKey = {
  container: (id: number): string => `c${id}`,
  group: (key: string): string => key,
  search: 'search',
} as const;
