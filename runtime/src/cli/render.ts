/**
 * The task tree as text (with or without ANSI colors) and as JSON, from a set of records. Pure:
 * the live screen and the dump both print what this returns.
 */
import { describeAwait, describeContext, describeState, describeTask, formatDuration, type DescribeContext } from '../protocol/describe';
import { buildForest, findCycles, findStuck, foldForest, type FoldedNode, type StuckTask, type TaskNode } from '../protocol/forest';
import { isAtSite, siteText, type SiteFilter } from '../protocol/locations';
import type { JsonLocation } from './renderLocations';
import type { ResourceRecord, TaskRecord } from '../protocol/wire';
import { printable } from './printable';

export interface View {
  tasks: TaskRecord[];
  resources: ResourceRecord[];
  /** Loop time now. */
  now: number;
}

export interface Analysis {
  /** The shown tasks' creator forest (finished ones without live descendants left out unless `all`). */
  forest: TaskNode[];
  folded: FoldedNode[];
  cycles: number[][];
  stuck: Map<number, StuckTask>;
  /** How many finished tasks were left out. */
  hidden: number;
  /** With `at`: the site, and how many tasks are suspended there (the others shown only hold them). */
  at?: { site: SiteFilter; count: number };
}

export interface AnalyzeOptions {
  /** Show successful finished tasks too. */
  all?: boolean;
  /** Also count as stuck a task suspended this long with no timer ahead (--stuck-after). */
  idleMs?: number;
  /** Only the tasks suspended at this site, under the tasks that created them (--at). */
  at?: SiteFilter;
}

export function analyze(view: View, options: AnalyzeOptions = {}): Analysis {
  const cycles = findCycles(view.tasks, view.resources);
  const stuckList = findStuck(view.tasks, view.resources, { now: view.now, cycles, idleMs: options.idleMs });
  const stuck = new Map(stuckList.map((s) => [s.taskId, s]));
  const full = buildForest(view.tasks);
  let hidden = 0;
  const at = options.at;
  let atCount = 0;
  // A successful finished task is left out unless it is a root or has a task left to show below it.
  // With a site, only the tasks suspended there are shown, and their creators to hold them.
  const shownAlone = (t: TaskRecord, isRoot: boolean): boolean => (at ? isAtSite(t, at) : options.all || isRoot || t.state !== 'done');
  const prune = (nodes: TaskNode[], isRoot: boolean): TaskNode[] => {
    const out: TaskNode[] = [];
    for (const n of nodes) {
      const children = prune(n.children, false);
      if (at && isAtSite(n.task, at)) atCount++;
      if (shownAlone(n.task, isRoot) || children.length > 0) out.push({ task: n.task, children });
      else if (!at) hidden += 1 + countTasks(n.children) - countTasks(children);
    }
    return out;
  };
  const forest = prune(full, true);
  // Tasks on a cycle stay on their own lines; other stuck tasks fold with those stuck for the same reason.
  const onCycle = new Set(cycles.flat());
  const folded = foldForest(forest, { keep: (t) => onCycle.has(t.id), distinguish: (t) => stuck.get(t.id)?.reason ?? '' });
  const analysis: Analysis = { forest, folded, cycles, stuck, hidden };
  if (at) analysis.at = { site: at, count: atCount };
  return analysis;
}

function countTasks(nodes: readonly TaskNode[]): number {
  let n = 0;
  for (const node of nodes) n += 1 + countTasks(node.children);
  return n;
}

// ---------------------------------------------------------------- text

export interface TextOptions {
  color: boolean;
  /** Cut lines to this many columns (a live screen must not wrap); no cut when absent. */
  width?: number;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;

export type Paint = (style: keyof typeof ANSI, text: string) => string;

/** Paints with ANSI colors, or leaves the text as it is. */
export function painter(color: boolean): Paint {
  return color ? (style, text) => (text ? `${ANSI[style]}${text}${ANSI.reset}` : '') : (_s, text) => text;
}

export const STATE_STYLE: Record<TaskRecord['state'], keyof typeof ANSI> = {
  running: 'green',
  ready: 'cyan',
  suspended: 'yellow',
  done: 'dim',
  failed: 'red',
  cancelled: 'magenta',
};

/**
 * The tree's lines (no trailing newline), then a blank line and the cycles and stuck tasks, if any.
 * The program's strings in them (names, messages) have their control characters escaped.
 */
export function renderText(view: View, a: Analysis, options: TextOptions): string[] {
  const paint = painter(options.color);
  const ctx = describeContext(view.now, view.tasks, view.resources);
  const onCycle = new Set(a.cycles.flat());
  const lines: string[] = [];

  const walk = (nodes: readonly FoldedNode[], prefix: string, isRootLevel: boolean) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const branch = isRootLevel ? '' : last ? '└─ ' : '├─ ';
      lines.push(paint('dim', prefix + branch) + nodeText(node, ctx, a, onCycle, paint));
      walk(node.children, isRootLevel ? '' : prefix + (last ? '   ' : '│  '), false);
    });
  };
  walk(a.folded, '', true);

  if (lines.length === 0) lines.push(paint('dim', a.at ? `no task is suspended at ${printable(siteText(a.at.site))}` : 'no tasks'));
  if (a.hidden > 0) lines.push(paint('dim', `(${a.hidden} finished task${a.hidden === 1 ? '' : 's'} not shown; --all shows them)`));
  if (a.at && a.at.count > 0) lines.push(paint('dim', `(only the ${a.at.count} task${a.at.count === 1 ? '' : 's'} suspended at ${printable(siteText(a.at.site))}, under their creators)`));
  lines.push(...findingNotes(ctx, a, paint));
  return options.width ? lines.map((l) => cut(l, options.width!)) : lines;
}

/** A blank line and the await cycles and stuck tasks, when there are any. */
export function findingNotes(ctx: DescribeContext, a: Analysis, paint: Paint): string[] {
  const nameOf = (id: number) => printable(ctx.task(id)?.name ?? `#${id}`);
  const notes: string[] = [];
  for (const cycle of a.cycles) {
    const names = [...cycle, cycle[0]].map(nameOf);
    notes.push(paint('magenta', `⟲ await cycle (deadlock): ${names.join(' → ')}`));
  }
  if (a.stuck.size > 0) {
    const n = a.stuck.size;
    // Grouped by why: "worker-1, worker-2, worker-3 and 47 more (no task left can wake it)".
    const byText = new Map<string, string[]>();
    for (const s of a.stuck.values()) {
      const text = printable(s.text);
      const names = byText.get(text) ?? [];
      names.push(nameOf(s.taskId));
      byText.set(text, names);
    }
    const groups = [...byText].map(([text, names]) => `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} (${text})`);
    notes.push(paint('red', `✖ ${n} stuck task${n === 1 ? '' : 's'}: ${groups.join('; ')}`));
  }
  return notes.length ? ['', ...notes] : [];
}

function nodeText(node: FoldedNode, ctx: DescribeContext, a: Analysis, onCycle: Set<number>, paint: Paint): string {
  const t = node.task;
  let text: string;
  // Every piece of text here may hold the program's strings: escaped before it is painted.
  if (node.ids.length > 1) {
    // A folded group: its shared shape, not one member's id, times and place.
    text = `× ${node.ids.length} ${paint('bold', printable(node.pattern))} ${paint(STATE_STYLE[t.state], printable(describeState(t, ctx)))}`;
    if (t.state === 'suspended' && t.awaiting) text += `: ${printable(describeAwait(t.awaiting, ctx))}`;
  } else {
    const summary = printable(describeTask(t, ctx));
    // Colour the name and the state inside the shared one-line summary.
    const name = printable(t.name);
    const head = `${name} #${t.id} `;
    const state = printable(describeState(t, ctx));
    text = summary.startsWith(head + state)
      ? `${paint('bold', name)} ${paint('dim', `#${t.id}`)} ${paint(STATE_STYLE[t.state], state)}${summary.slice(head.length + state.length)}`
      : summary;
  }
  const stuck = a.stuck.get(t.id);
  if (onCycle.has(t.id)) text += `  ${paint('magenta', '⟲ on an await cycle')}`;
  // (A task held up by a frozen one: its text already says "stuck because frozen: …".)
  else if (stuck) text += `  ${paint('red', `✖ ${stuck.reason === 'frozen' ? '' : 'stuck: '}${printable(stuck.text)}`)}`;
  return text;
}

/** Cuts a line to `width` visible columns, keeping its ANSI sequences intact. */
export function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end > 0) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= width - 1 && i < line.length - 1) return `${out}…\x1b[0m`;
    out += line[i];
    visible++;
  }
  return out;
}

// ---------------------------------------------------------------- JSON

export interface JsonNode {
  id: number;
  name: string;
  state: TaskRecord['state'];
  /** describeTask's one line. */
  summary: string;
  /** What it awaits, in words (suspended tasks). */
  awaiting?: string;
  onCycle?: true;
  stuck?: { reason: StuckTask['reason']; text: string };
  children: JsonNode[];
}

export interface JsonReport {
  /** Why this was printed: 'update' (live), 'exit', 'interrupt' or 'stuck'. */
  reason: string;
  program: string;
  /** Loop time (ms). */
  time: number;
  /** How long since the last progress, in words (reason 'stuck'). */
  idle?: string;
  exitCode?: number | null;
  signal?: string | null;
  tree: JsonNode[];
  cycles: { ids: number[]; names: string[] }[];
  stuck: StuckTask[];
  hiddenFinished: number;
  /** With --at: the site the tree is limited to (the tasks suspended there, under their creators). */
  at?: string;
  /** With --group-by location: the groups, largest first (renderLocations.ts). */
  locations?: JsonLocation[];
  tasks: TaskRecord[];
  resources: ResourceRecord[];
}

/** The unfolded tree with words and flags, plus the raw records, for machines. */
export function renderJson(view: View, a: Analysis, extra: { reason: string; program: string; idleMs?: number; exitCode?: number | null; signal?: string | null }): JsonReport {
  const ctx = describeContext(view.now, view.tasks, view.resources);
  const onCycle = new Set(a.cycles.flat());
  const toJson = (n: TaskNode): JsonNode => {
    const t = n.task;
    const node: JsonNode = { id: t.id, name: t.name, state: t.state, summary: describeTask(t, ctx), children: n.children.map(toJson) };
    if (t.state === 'suspended' && t.awaiting) node.awaiting = describeAwait(t.awaiting, ctx);
    if (onCycle.has(t.id)) node.onCycle = true;
    const s = a.stuck.get(t.id);
    if (s) node.stuck = { reason: s.reason, text: s.text };
    return node;
  };
  const report: JsonReport = {
    reason: extra.reason,
    program: extra.program,
    time: view.now,
    tree: a.forest.map(toJson),
    cycles: a.cycles.map((ids) => ({ ids, names: ids.map((id) => ctx.task(id)?.name ?? `#${id}`) })),
    stuck: [...a.stuck.values()],
    hiddenFinished: a.hidden,
    tasks: view.tasks,
    resources: view.resources,
  };
  if (a.at) report.at = siteText(a.at.site);
  if (extra.idleMs !== undefined) report.idle = formatDuration(extra.idleMs);
  if (extra.exitCode !== undefined) report.exitCode = extra.exitCode;
  if (extra.signal !== undefined) report.signal = extra.signal;
  return report;
}
