/** Each workload: runs once with its parameters, resolves with its checksum. */
export type Workloads = Record<'switch' | 'spawn' | 'pingpong' | 'lock' | 'timers' | 'taskgroup', (p: any) => Promise<number>>;
export const nativeWorkloads: Workloads;
