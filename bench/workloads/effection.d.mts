import type { Workloads } from './native.mjs';
export const effectionWorkloads: Workloads;
