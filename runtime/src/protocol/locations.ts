/**
 * Tasks grouped by where they wait, as Delve groups goroutines: "× 500 suspended at crawler.ts:22
 * on Queue.get". A list of thousands of tasks is unreadable; a few groups, largest first, say where
 * the program is. And the filter behind "show only the tasks suspended here" (`--at file:line`).
 *
 * Shared by the terminal inspector and the VS Code extension so both group and word alike. Pure:
 * it imports only the wire types and describe.ts (no Node, no vscode).
 */
import { describeAwait, isFinishedState, shortLocation, taskName, type DescribeContext } from './describe';
import type { Await, TaskRecord } from './wire';

// ---------------------------------------------------------------- the key

/**
 * What an await is grouped by: its kind, and the resource for a Lock / Queue ... wait (so "Queue.get
 * on jobs" and "Queue.get on results" at one line are two groups), as identical siblings fold.
 */
export function awaitKey(a: Await | undefined): string {
  if (!a) return '';
  return 'resourceId' in a ? `${a.kind}@${a.resourceId}` : a.kind;
}

/**
 * The group a task belongs to: a suspended task by its await site (file and line) and what it
 * awaits; one suspended at a place unknown (code the await-site transform did not see, with stacks
 * off) by what it awaits; every other task by its state ("ready", "done").
 */
export function locationKey(t: TaskRecord): string {
  if (t.state !== 'suspended') return `state\u0000${t.state}`;
  const a = awaitKey(t.awaiting);
  return t.location ? `site\u0000${t.location.file}\u0000${t.location.line}\u0000${a}` : `nowhere\u0000${a}`;
}

// ---------------------------------------------------------------- words

/** An await's kind in words, as the group's label ends: "on Queue.get", "on sleep", "on a task". */
const KIND_WORDS: Record<Await['kind'], string> = {
  sleep: 'sleep',
  task: 'a task',
  future: 'a Future',
  promise: 'a Promise',
  gather: 'gather',
  wait: 'wait',
  taskGroup: 'a task group',
  asCompleted: 'asCompleted',
  shield: 'shield',
  lock: 'Lock',
  event: 'Event',
  condition: 'Condition',
  semaphore: 'Semaphore',
  'queue.get': 'Queue.get',
  'queue.put': 'Queue.put',
  'queue.join': 'Queue.join',
};

export function awaitKindWords(a: Await): string {
  // A newer runtime may send a kind this build does not know: its name is still the best word.
  return KIND_WORDS[a.kind] ?? String((a as { kind: string }).kind);
}

/**
 * What a group's members share, in words, without the count: `suspended at crawler.ts:22 on
 * Queue.get`, `suspended on sleep (place unknown)`, `ready`, `failed`. `sample` is any member.
 */
export function locationWords(sample: TaskRecord): string {
  if (sample.state !== 'suspended') return sample.state;
  const on = sample.awaiting ? ` on ${awaitKindWords(sample.awaiting)}` : '';
  return sample.location ? `suspended at ${shortLocation(sample.location)}${on}` : `suspended${on} (place unknown)`;
}

/** A group's label: `× 500 suspended at crawler.ts:22 on Queue.get`. */
export function locationLabel(sample: TaskRecord, count: number): string {
  return `× ${count.toLocaleString('en-US')} ${locationWords(sample)}`;
}

/**
 * The resource every member waits on, in words, when the wait is on one ("Queue.get on jobs
 * (empty)", "Lock db held by worker-2"); '' otherwise (a sleep's time left, the task awaited,
 * differ from member to member). A place in line differs too, so it is left out.
 */
export function sharedAwaitWords(sample: TaskRecord, ctx: DescribeContext): string {
  const a = sample.awaiting;
  if (sample.state !== 'suspended' || !a || !('resourceId' in a)) return '';
  return describeAwait('position' in a ? { ...a, position: undefined } : a, ctx);
}

/** `worker-1, worker-2, worker-3 and 497 more`: the first `max` members' names (ids in group order). */
export function memberNames(ids: Iterable<number>, count: number, ctx: Pick<DescribeContext, 'task'>, max = 3): string {
  const names: string[] = [];
  for (const id of ids) {
    if (names.length >= max) break;
    names.push(taskName(id, ctx));
  }
  return count > names.length ? `${names.join(', ')} and ${(count - names.length).toLocaleString('en-US')} more` : names.join(', ');
}

// ---------------------------------------------------------------- order

/** What ordering a group needs. */
export interface GroupOrderInfo {
  key: string;
  count: number;
  /** Its members are finished (done, failed, cancelled). */
  finished: boolean;
}

/**
 * Groups in the order shown: the largest first, groups of finished tasks after every live one
 * (what a program waits on matters more than how many tasks ended); equal sizes by key, so the
 * order does not flicker from one update to the next.
 */
export function compareGroups(a: GroupOrderInfo, b: GroupOrderInfo): number {
  if (a.finished !== b.finished) return a.finished ? 1 : -1;
  if (a.count !== b.count) return b.count - a.count;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

// ---------------------------------------------------------------- the filter: tasks at one site

/** One await site: a file (a path, or its last segments: `crawler.ts`, `src/crawler.ts`) and a line. */
export interface SiteFilter {
  file: string;
  line: number;
}

/** `crawler.ts:22` → { file: 'crawler.ts', line: 22 }; a clear error for anything else. */
export function parseSite(text: string): SiteFilter {
  const t = text.trim();
  const colon = t.lastIndexOf(':'); // the last one: a Windows path has a drive colon
  const file = colon > 0 ? t.slice(0, colon) : '';
  const lineText = colon > 0 ? t.slice(colon + 1) : '';
  if (!file || !/^\d+$/.test(lineText) || Number(lineText) < 1) {
    throw new Error(`a site is file:line, e.g. crawler.ts:22 (a line number from 1), got ${JSON.stringify(text)}`);
  }
  return { file, line: Number(lineText) };
}

export function siteText(site: SiteFilter): string {
  return `${site.file}:${site.line}`;
}

/** Separators as `/`, no leading `./`. */
function normalize(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/** Whether `file` (a frame's path) is the filter's file: the same path, or one ending with it at a separator. */
export function sameFile(file: string, wanted: string): boolean {
  const f = normalize(file);
  const w = normalize(wanted);
  return f === w || f.endsWith(`/${w}`);
}

/** Whether a task is suspended at the site. */
export function isAtSite(t: TaskRecord, site: SiteFilter): boolean {
  return t.state === 'suspended' && !!t.location && t.location.line === site.line && sameFile(t.location.file, site.file);
}

// ---------------------------------------------------------------- all at once (the terminal inspector)

export interface LocationGroup {
  key: string;
  /** The members' ids, in id (creation) order. */
  ids: number[];
  /** The first member: its record words the group. */
  sample: TaskRecord;
  finished: boolean;
}

export interface GroupingOptions {
  /** Leave finished tasks out. */
  hideFinished?: boolean;
  /** Only tasks suspended here. */
  at?: SiteFilter;
}

/** Every task in its location group, groups in the order shown (compareGroups). */
export function groupByLocation(tasks: Iterable<TaskRecord>, options: GroupingOptions = {}): LocationGroup[] {
  const groups = new Map<string, LocationGroup>();
  for (const t of [...tasks].sort((a, b) => a.id - b.id)) {
    if (options.hideFinished && isFinishedState(t.state)) continue;
    if (options.at && !isAtSite(t, options.at)) continue;
    const key = locationKey(t);
    const g = groups.get(key);
    if (g) g.ids.push(t.id);
    else groups.set(key, { key, ids: [t.id], sample: t, finished: isFinishedState(t.state) });
  }
  return [...groups.values()].sort((a, b) => compareGroups({ key: a.key, count: a.ids.length, finished: a.finished }, { key: b.key, count: b.ids.length, finished: b.finished }));
}
