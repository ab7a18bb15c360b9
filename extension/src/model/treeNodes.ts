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

/**
 * Tasks grouped by where they are suspended (the "Group by Location" mode): "× 500 suspended at
 * crawler.ts:22 on Queue.get", or, for tasks not suspended, by state ("× 3 ready"). Kept by
 * LocationIndex, which updates `members` in place, so the count shown is always the current one.
 */
export interface LocationNode {
  kind: 'location';
  key: string;
  /** The members, in the order they arrived here (the longest waiting first). */
  members: Set<number>;
  /** Its members are finished (groups of finished tasks are listed after the live ones). */
  finished: boolean;
  /** Where its members are suspended (a group of suspended tasks whose place is known). */
  site?: { file: string; line: number };
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

export type TreeNode = TaskNode | GroupNode | LocationNode | MoreNode | ReadySectionNode | ReadyItemNode;

/** Nodes that stand for one task (a context menu on either acts on it). */
export type TaskLikeNode = TaskNode | ReadyItemNode;

export const taskKey = (id: number): string => `t${id}`;
export const readyKey = (id: number): string => `r${id}`;
export const groupKey = (container: number, shape: number): string => `g${container}:${shape.toString(36)}`;
export const moreKey = (list: string): string => `m:${list}`;
/** A location group's key: `l` and its grouping key (runtime/src/protocol/locations.ts), NULs made visible (a row id must be text a view can hold). */
export const locationRowKey = (groupKey: string): string => `l${groupKey.replace(/\u0000/g, '\u241f')}`;

/** Lists that can be paged: a container's children, a group's members (a location group's too: its key), the search results. */
export const listKey = {
  container: (id: number): string => `c${id}`,
  group: (key: string): string => key,
  search: 'search',
} as const;
