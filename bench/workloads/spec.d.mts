// Types for spec.mjs (the benchmark's workloads are plain JavaScript so that the child processes
// run them without a compile step).
export interface Workload {
  about: string;
  base: Record<string, number>;
  linear: string;
  unit: string;
  ops(p: Record<string, number>): number;
  checksum(p: Record<string, number>): number;
}
export const WORKLOADS: Record<string, Workload>;
export const WORKLOAD_NAMES: string[];
export function deadlines(n: number, spread: number): number[];
export function checkParams(name: string, params: Record<string, number>): Workload;
