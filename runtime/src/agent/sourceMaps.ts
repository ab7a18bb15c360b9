/**
 * Maps the positions in captured stacks back to the original sources (TypeScript), through the
 * source maps Node keeps when source maps are enabled (`--enable-source-maps`, or tsx, which turns
 * them on). Node applies them when it formats an Error's stack as text, but the structured call
 * sites the runtime reads are the generated positions, so they are mapped here.
 */
import { findSourceMap, type SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve, dirname } from 'node:path';
import { setPositionMapper, type PositionMapper } from '../stacks';

/** Source map per generated file (null: it has none); bounded. */
const maps = new Map<string, SourceMap | null>();
const MAX_FILES = 2000;

function lookup(file: string): SourceMap | null {
  let m = maps.get(file);
  if (m !== undefined) return m;
  try {
    m = findSourceMap(file) ?? null;
    if (m === null && isAbsolute(file)) m = findSourceMap(pathToFileURL(file).href) ?? null;
    if (m === null && file.startsWith('file://')) m = findSourceMap(fileURLToPath(file)) ?? null;
  } catch {
    m = null;
  }
  if (maps.size >= MAX_FILES) maps.clear();
  maps.set(file, m);
  return m;
}

function originalPath(source: string, generated: string): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  if (isAbsolute(source)) return source;
  // A relative source is relative to the generated file's folder.
  const base = generated.startsWith('file://') ? fileURLToPath(generated) : generated;
  return resolve(dirname(base), source);
}

export const mapPosition: PositionMapper = (file, line, column) => {
  const sm = lookup(file);
  if (sm === null) return null;
  const e = sm.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number; name?: string };
  if (!e || typeof e.originalSource !== 'string' || typeof e.originalLine !== 'number') return null;
  const out: { file: string; line: number; column: number; name?: string } = {
    file: originalPath(e.originalSource, file),
    line: e.originalLine + 1,
    column: (e.originalColumn ?? 0) + 1,
  };
  if (e.name) out.name = e.name;
  return out;
};

let installed = false;

/** Makes the runtime's stacks report original positions. */
export function installSourceMapping(): void {
  setPositionMapper(mapPosition);
  installed = true;
}

/** The mapper the runtime's stacks use (null until installed), for the agent's own stack reading. */
export function positionMapper(): PositionMapper | null {
  return installed ? mapPosition : null;
}
