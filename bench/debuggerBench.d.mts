export function benchDebugger(opts: any): Promise<any>;
export function timelineFramesArgs(frames: { events: number; tasks?: number; steps?: number }): string[];
