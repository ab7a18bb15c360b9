/**
 * Program text made safe for a terminal. Task names, error and cancel messages, resource names and
 * labels are the program's data: an ESC in one would move the cursor, clear the screen or set the
 * window title, a newline would break the tree's rows, a bidi override would reorder what follows.
 * As `ps` and `git` do, such characters are shown escaped: `\n`, `\r`, `\t`, and `\x1b`, `\x7f`,
 * `\u202e` for the others. (A backslash is left as it is, so `a\nb` typed by the program and an
 * escaped newline look alike: the view is for reading, the JSON output keeps the exact text.)
 * Every place the CLI prints program data as text goes through here, applied to the finished text
 * (a describe.ts sentence, a name) just before it is painted: text that describe.ts already quoted
 * with JSON.stringify (a cancel message, a string result) is escaped by JSON and left as it is.
 */
// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), the line and
// paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, without the global flag's lastIndex state
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with its control characters escaped; the same string when it has none. */
export function printable(text: string): string {
  // (A record from another runtime may carry a number where a string belongs.)
  const s = typeof text === 'string' ? text : String(text);
  return HAS_CONTROL.test(s) ? s.replace(CONTROL, escapeOne) : s;
}
