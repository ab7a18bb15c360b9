/** Small text helpers for the views. */
import { baseName } from '../../../runtime/src/protocol/describe';
import type { Frame } from '../../../runtime/src/protocol/wire';

/** At most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** `crawler.ts:41` */
export function frameText(f: Frame): string {
  return `${baseName(f.file)}:${f.line}`;
}
