export function renderResults(results: any): string;
export function updateDocs(path: string, results: any): void;
export const slowerBy: (v: number | null) => string;
