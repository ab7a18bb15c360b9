export const BUILD_DIR: string;
export const NOHOOKS_BUNDLE: string;
export const PEER_BUNDLE: string;
export const RUNTIME_BUNDLE: string;
export function buildVariants(opts?: { outDir?: string }): Promise<{ nohooks: string; hookSites: number; hookFiles: Record<string, number>; peer: string | null; protocol: string | null; treeModel: string | null }>;
