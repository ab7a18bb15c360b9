/**
 * Finding and starting the user's program: plain Node for JavaScript, Node with tsx's loader for
 * TypeScript (resolved from loopscope's own dependencies, so the user installs and builds nothing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** The program's absolute path; a UsageError when it does not exist or is not a file. */
export function resolveProgram(program: string, cwd = process.cwd()): string {
  const path = resolve(cwd, program);
  if (!existsSync(path)) throw new UsageError(`program not found: ${program}${path !== program ? ` (looked for ${path})` : ''}`);
  if (!statSync(path).isFile()) throw new UsageError(`not a program file: ${path} is a directory`);
  return path;
}

/** The file URL of tsx's `--import` loader, from the loopscope package's own dependencies. */
export function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  try {
    return pathToFileURL(require.resolve('tsx')).href;
  } catch {
    throw new UsageError('cannot run a TypeScript program: tsx, a dependency of loopscope, is not installed (npm install tsx), or run the built .js instead');
  }
}

/**
 * The await-site transform's `--import` (runtime/src/sites/register.ts) as a file URL: next to this
 * bundle (dist/register.mjs), or the source when running from source. Undefined if neither exists.
 */
export function sitesRegister(): string | undefined {
  for (const rel of ['./register.mjs', '../sites/register.ts']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url.href;
  }
  return undefined;
}

/** Node's arguments to run `path` with `args`: tsx for TypeScript, then the await-site transform. */
export function nodeArgs(path: string, args: readonly string[]): string[] {
  const loader = TYPESCRIPT.has(extname(path).toLowerCase()) ? ['--import', tsxLoader()] : [];
  const sites = sitesRegister();
  return ['--enable-source-maps', ...loader, ...(sites ? ['--import', sites] : []), path, ...args];
}

export interface Launch {
  path: string;
  args: readonly string[];
  env: Record<string, string>;
  /** Pipe the program's stdout/stderr through us (to keep a live view intact) rather than share ours. */
  pipeOutput: boolean;
}

/** Starts the program with the same Node that runs loopscope. stdin is always the user's. */
export function startProgram(launch: Launch): ChildProcess {
  return spawn(process.execPath, nodeArgs(launch.path, launch.args), {
    env: { ...process.env, ...launch.env },
    stdio: ['inherit', launch.pipeOutput ? 'pipe' : 'inherit', launch.pipeOutput ? 'pipe' : 'inherit'],
  });
}
