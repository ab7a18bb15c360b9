import type { Instrument } from '../runtime/src/index';
/** An instrument implementing every hook; each call only counts. */
export function noopInstrument(): Instrument & { calls: number };
export const HOOK_NAMES: string[];
