/**
 * The words of an await-site decoration: "⏸ 12 tasks" after the line, and a hover listing them
 * (names escaped) with a link that opens the full list.
 */
import { describeAwait, type DescribeContext } from '../../../runtime/src/protocol/describe';
import { escapeMarkdown } from './markdown';

/** Most tasks named in a hover (the link lists them all). */
export const HOVER_LIST_MAX = 15;

export function siteLabel(ids: readonly number[], ctx: DescribeContext): string {
  if (ids.length === 1) return `⏸ ${ctx.task(ids[0]!)?.name ?? `task #${ids[0]}`}`;
  return `⏸ ${ids.length.toLocaleString('en-US')} tasks`;
}

/** Hover Markdown; `showAllLink` is a ready command URI that lists every task at the site. */
export function siteHover(ids: readonly number[], ctx: DescribeContext, showAllLink: string): string {
  const lines = [`**${ids.length.toLocaleString('en-US')} task${ids.length === 1 ? '' : 's'} suspended here**`, ''];
  for (const id of ids.slice(0, HOVER_LIST_MAX)) {
    const t = ctx.task(id);
    if (!t) continue;
    const what = t.awaiting ? ` — ${escapeMarkdown(describeAwait(t.awaiting, ctx))}` : '';
    lines.push(`- ${escapeMarkdown(t.name)} \\#${t.id}${what}`);
  }
  if (ids.length > HOVER_LIST_MAX) lines.push(`- … and ${(ids.length - HOVER_LIST_MAX).toLocaleString('en-US')} more`);
  lines.push('', `[Show ${ids.length === 1 ? 'it' : `all ${ids.length.toLocaleString('en-US')}`} in the Tasks view](${showAllLink})`);
  return lines.join('\n');
}
