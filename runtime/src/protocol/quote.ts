/**
 * Client input quoted in an error message: JSON-like, and never longer than a short bound. An error
 * that echoed a 10 MiB command name in full (escaped, then escaped again inside the response's JSON)
 * would be a reply larger than the protocol's own frame limit; a user needs only the start of it.
 */

/** Characters of client input an error message quotes at most. */
export const QUOTE_MAX_CHARS = 60;

/** `value` as JSON (undefined as null), cut to `max` characters with "…" and the full length when longer. */
export function quote(value: unknown, max = QUOTE_MAX_CHARS): string {
  if (typeof value === 'string') {
    if (value.length <= max) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
  }
  let text: string | undefined;
  try {
    // Values from a parsed JSON message are at most a frame long, so stringifying them is bounded.
    text = JSON.stringify(value ?? null);
  } catch {
    text = undefined;
  }
  if (text === undefined) text = typeof value;
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
