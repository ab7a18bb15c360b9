export function slowdown(workloadResult: any, id: string, baseId: string): number | null;
export function checkTargets(results: any): { id: string; what: string; bar: string; value: string | null; met: boolean | null }[];
