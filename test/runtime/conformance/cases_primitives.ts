import type { Case } from './harness';
export const primitiveCases: Record<string, Case> = {};
