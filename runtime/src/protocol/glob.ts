/**
 * Task-name patterns (the protocol's globs: `*` matches any run of characters, everything else is
 * literal), matched in time linear in the name. A RegExp built from the pattern backtracks
 * catastrophically (`*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b` against a 50-character name froze the program:
 * it is evaluated before every task step while a task-name breakpoint is set), so this is the
 * classic two-pointer wildcard matcher: on a mismatch only the last `*` is retried, one character
 * further on (earlier stars never need retrying: whatever they could swallow, the last one can), so
 * at most pattern length x name length characters are compared, with no memory allocated.
 */

/** Whether `name` matches `pattern` (`*`: any run of characters, possibly empty). */
export function globMatch(pattern: string, name: string): boolean {
  const pl = pattern.length;
  const nl = name.length;
  let p = 0;
  let n = 0;
  // Where the last `*` was seen, and the name position it is currently taken to stop at.
  let star = -1;
  let starN = 0;
  while (n < nl) {
    if (p < pl) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        star = p++;
        starN = n;
        continue;
      }
      if (c === name.charCodeAt(n)) {
        p++;
        n++;
        continue;
      }
    }
    // Mismatch (or pattern used up with name left): let the last `*` swallow one more character.
    if (star < 0) return false;
    p = star + 1;
    n = ++starN;
  }
  // The name is used up: what is left of the pattern must be stars only.
  while (p < pl && pattern.charCodeAt(p) === STAR) p++;
  return p === pl;
}

const STAR = 42; // '*'
