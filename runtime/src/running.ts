import { RuntimeError } from './errors';
import type { EventLoop } from './loop';

/**
 * The loop running now. Kept on globalThis so that two copies of the runtime in one process
 * (an ESM and a CJS build, say) agree on it instead of each believing no loop runs.
 */
const KEY = Symbol.for('loopscope.runningLoop');
type Holder = { [KEY]?: EventLoop | null };
const g = globalThis as Holder;

export function getRunningLoopOrNull(): EventLoop | null {
  return g[KEY] ?? null;
}

/** The running loop; throws RuntimeError('no running event loop') outside of one, as asyncio does. */
export function getRunningLoop(): EventLoop {
  const loop = g[KEY];
  if (!loop) throw new RuntimeError('no running event loop');
  return loop;
}

const SITES = Symbol.for('loopscope.sites');

export function setRunningLoop(loop: EventLoop | null): void {
  g[KEY] = loop;
  // Transformed code (sites/key.ts) finds the running task through this, without a global lookup.
  const sites = (g as { [SITES]?: { loop: unknown } })[SITES];
  if (sites !== undefined) sites.loop = loop;
}
