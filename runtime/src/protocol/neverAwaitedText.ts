/**
 * The words for a never-awaited coroutine, the same in the terminal inspector, the Debug Console
 * and the editor's warning (asyncio's "coroutine 'worker' was never awaited", with the fix).
 */
import { shortLocation } from './describe';
import type { NeverAwaitedCoroutine } from './wire';

/** What to do about it. */
export const NEVER_AWAITED_FIX = 'call it with yield* or pass it to createTask';

/**
 * `coroutine 'worker' was never awaited (crawler.ts:12): call it with yield* or pass it to createTask`;
 * without the place when it is shown at the line itself (a diagnostic).
 */
export function neverAwaitedText(c: NeverAwaitedCoroutine, withPlace = true): string {
  const place = withPlace ? ` (${shortLocation(c.location)})` : '';
  return `coroutine '${c.name}' was never awaited${place}: ${NEVER_AWAITED_FIX}`;
}

/** A key telling call sites apart (each is reported once). */
export function neverAwaitedKey(c: NeverAwaitedCoroutine): string {
  return `${c.location.file}:${c.location.line}:${c.location.column}:${c.name}`;
}
