import type { Workloads } from './native.mjs';
/** The workloads on the given Loopscope module (the sources, the bundle, or the no-hooks bundle). */
export function loopscopeWorkloads(ls: typeof import('../../runtime/src/index')): Workloads;
