/** Where things are in the example programs, found from their text so edits there don't break the suite. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { examplesDir } from './useVSCode';

/** The 1-based line of `examples/<file>` that contains `text` (exactly one must). */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(join(examplesDir, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`examples/${file} has ${hits.length} lines containing ${JSON.stringify(text)}; the e2e suite needs exactly one`);
  return hits[0]!;
}
