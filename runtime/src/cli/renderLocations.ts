/**
 * The tasks grouped by where they wait (`--group-by location`), as text and as JSON: one line per
 * group, largest first — "× 50 suspended at crawler.ts:22 on Queue.get — Queue.get on jobs (empty) ·
 * worker-1, worker-2, worker-3 and 47 more". With `--at file:line` only the site's group is shown,
 * each of its tasks on a line below it. Pure, like render.ts.
 */
import { describeContext, describeTask } from '../protocol/describe';
import { groupByLocation, locationLabel, locationWords, memberNames, sharedAwaitWords, siteText, type LocationGroup, type SiteFilter } from '../protocol/locations';
import type { TaskRecord } from '../protocol/wire';
import { printable } from './printable';
import { cut, findingNotes, painter, STATE_STYLE, type Analysis, type TextOptions, type View } from './render';

export interface LocationOptions {
  /** Show successful finished tasks too (left out by default, as in the tree). */
  all?: boolean;
  /** Only the tasks suspended at this site. */
  at?: SiteFilter;
}

export interface Locations {
  groups: LocationGroup[];
  /** Successful finished tasks left out (without --all). */
  hidden: number;
}

export function locations(view: View, options: LocationOptions = {}): Locations {
  const shown = options.all ? view.tasks : view.tasks.filter((t) => t.state !== 'done');
  return { groups: groupByLocation(shown, { at: options.at }), hidden: view.tasks.length - shown.length };
}

/** The groups' lines (and the cycles and stuck tasks under them, as in the tree). */
export function renderLocationText(view: View, a: Analysis, l: Locations, options: TextOptions & { at?: SiteFilter }): string[] {
  const paint = painter(options.color);
  const ctx = describeContext(view.now, view.tasks, view.resources);
  const lines: string[] = [];
  for (const g of l.groups) {
    const t = g.sample;
    const words = printable(locationWords(t));
    let text = `${paint('bold', `× ${g.ids.length.toLocaleString('en-US')}`)} ${paint(STATE_STYLE[t.state], words)}`;
    const shared = sharedAwaitWords(t, ctx);
    if (shared) text += ` — ${printable(shared)}`;
    text += paint('dim', ` · ${printable(memberNames(g.ids, g.ids.length, ctx))}`);
    const stuck = g.ids.filter((id) => a.stuck.has(id)).length;
    if (stuck) text += `  ${paint('red', `✖ ${stuck < g.ids.length ? `${stuck} ` : g.ids.length > 1 ? 'all ' : ''}stuck`)}`;
    lines.push(text);
    // Zoomed in on one site: every task there, with its own words.
    if (options.at) {
      g.ids.forEach((id, i) => {
        const member = ctx.task(id)!;
        const flag = a.stuck.get(id);
        const branch = i === g.ids.length - 1 ? '└─ ' : '├─ ';
        lines.push(paint('dim', branch) + printable(describeTask(member, ctx)) + (flag ? `  ${paint('red', `✖ stuck: ${printable(flag.text)}`)}` : ''));
      });
    }
  }
  if (lines.length === 0) lines.push(paint('dim', options.at ? `no task is suspended at ${printable(siteText(options.at))}` : 'no tasks'));
  if (l.hidden > 0 && !options.at) lines.push(paint('dim', `(${l.hidden} finished task${l.hidden === 1 ? '' : 's'} not shown; --all shows them)`));
  lines.push(...findingNotes(ctx, a, paint));
  return options.width ? lines.map((line) => cut(line, options.width!)) : lines;
}

export interface JsonLocation {
  /** `× 50 suspended at crawler.ts:22 on Queue.get` */
  label: string;
  count: number;
  state: TaskRecord['state'];
  /** Where the members are suspended (suspended groups whose place is known). */
  file?: string;
  line?: number;
  /** The kind of what they await (`queue.get`), and the resource they share in words, if any. */
  awaiting?: string;
  shared?: string;
  /** The members, in id order. */
  ids: number[];
}

export function locationsJson(view: View, l: Locations): JsonLocation[] {
  const ctx = describeContext(view.now, view.tasks, view.resources);
  return l.groups.map((g) => {
    const t = g.sample;
    const out: JsonLocation = { label: locationLabel(t, g.ids.length), count: g.ids.length, state: t.state, ids: g.ids };
    if (t.state === 'suspended' && t.location) {
      out.file = t.location.file;
      out.line = t.location.line;
    }
    if (t.state === 'suspended' && t.awaiting) out.awaiting = t.awaiting.kind;
    const shared = sharedAwaitWords(t, ctx);
    if (shared) out.shared = shared;
    return out;
  });
}
