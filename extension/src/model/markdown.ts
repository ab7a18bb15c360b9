/**
 * Escaping for text put into Markdown (tooltips, hovers). Task names, error messages and values
 * come from the user's program: they are text, never Markdown or HTML.
 */

/** Text shown as itself inside Markdown: punctuation backslash-escaped, `<`, `>` and `&` as entities. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '  \n');
}

/** A fenced code block holding `text` verbatim: the fence is longer than any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}
