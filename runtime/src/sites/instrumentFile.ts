/**
 * Which files the load-time transform instruments, and the transform applied safely: a file that
 * cannot be transformed runs exactly as written, with one note saying so (never a crash).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformCoroutines, mayNeedTransform, externalSourceMapUrl, INSTRUMENTED_MARK } from './transform';

/** Whether the folder's nearest package.json is the loopscope runtime's (its own code is never instrumented). */
const packageIsRuntime = new Map<string, boolean>();

function inRuntimePackage(dir: string): boolean {
  const known = packageIsRuntime.get(dir);
  if (known !== undefined) return known;
  let answer = false;
  const pj = join(dir, 'package.json');
  if (existsSync(pj)) {
    try {
      answer = JSON.parse(readFileSync(pj, 'utf8')).name === 'loopscope';
    } catch {
      answer = false;
    }
  } else {
    const up = dirname(dir);
    answer = up !== dir && inRuntimePackage(up);
  }
  packageIsRuntime.set(dir, answer);
  return answer;
}

/** Whether a module is the user's: not Node's, not a dependency's, not the runtime's own. */
export function isUserFile(urlOrPath: string): boolean {
  // Loaders add queries to a module's URL (tsx: ?tsx-commonjs-export-preparse=1…): the file is what counts.
  urlOrPath = withoutQuery(urlOrPath);
  let path: string;
  if (urlOrPath.startsWith('file://')) {
    try {
      path = fileURLToPath(urlOrPath);
    } catch {
      return false;
    }
  } else if (urlOrPath.startsWith('/') || /^[A-Za-z]:[\\/]/.test(urlOrPath)) path = urlOrPath;
  else return false;
  if (/[\\/]node_modules[\\/]/.test(path)) return false;
  if (!/\.(?:[cm]?[jt]sx?)$/i.test(path)) return false;
  return !inRuntimePackage(dirname(path));
}

/**
 * The file a module URL loads, without query and fragment. tsx runs some CommonJS modules imported
 * from ES modules as `data:` modules that name their file in a `filePath` parameter at the end.
 */
export function withoutQuery(url: string): string {
  if (url.startsWith('file://')) return url.replace(/[?#].*$/, '');
  if (url.startsWith('data:')) {
    const m = /[?&]filePath=([^&#]+)$/.exec(url);
    if (m) {
      try {
        return pathToFileURL(decodeURIComponent(m[1])).href;
      } catch {
        return url;
      }
    }
  }
  return url;
}

/** A separate source map next to a prebuilt file (`//# sourceMappingURL=x.js.map`), read from disk. */
function externalMap(code: string, file: string): object | null {
  const ref = externalSourceMapUrl(code);
  if (ref === null) return null;
  try {
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    const mapPath = ref.url.startsWith('file://') ? fileURLToPath(ref.url) : resolve(dirname(path), decodeURIComponent(ref.url));
    return JSON.parse(readFileSync(mapPath, 'utf8'));
  } catch {
    return null;
  }
}

export interface Instrumented {
  code: string;
  /** Set when the file could not be transformed: why (it then runs as written). */
  note?: string;
}

/** Instruments one module's code, or returns it unchanged (with a note when that was a failure). */
export function instrumentFile(code: string, file: string, sourceType?: 'module' | 'script'): Instrumented {
  // Already instrumented (CommonJS can reach both the loader hook and _compile): once is enough.
  if (!mayNeedTransform(code) || code.includes(INSTRUMENTED_MARK)) return { code };
  try {
    const r = transformCoroutines(code, file, { inputMap: externalMap(code, file), sourceType });
    return { code: r === null ? code : r.code };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    return { code, note: `loopscope: ${path} runs uninstrumented (the await-site transform could not read it: ${why}); tasks suspended in it show no line there.` };
  }
}
