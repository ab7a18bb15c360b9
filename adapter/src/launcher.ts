/**
 * Starting the program to debug: checking the launch configuration, the Node command line (TypeScript
 * through tsx, no build step), the environment that points the runtime at the adapter's listener,
 * and the three ways to start it: a child process of the adapter (output to the Debug Console), the
 * client's integrated terminal (runInTerminal), or VS Code's JavaScript debugger as a child session
 * (a `pwa-node` configuration the extension starts; see dapCustom.ts's 'loopscope/startJsDebug').
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LaunchArguments } from './dapCustom';
import type { Parsed } from './breakpoints';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JAVASCRIPT = new Set(['.js', '.mjs', '.cjs', '.jsx']);

/** Everything needed to start the program, whichever way it is started. */
export interface LaunchPlan {
  program: string;
  cwd: string;
  isTypeScript: boolean;
  /** Node executable. */
  runtimeExecutable: string;
  /** Node's own options: the user's runtimeArgs, source maps, the tsx loader for TypeScript. */
  nodeArgs: string[];
  /** The program's arguments. */
  programArgs: string[];
  /** The user's env entries (null: remove the variable) plus the runtime's LOOPSCOPE_* variables. */
  envChanges: Record<string, string | null>;
  /** `--import` value that loads tsx (a file URL), for TypeScript programs. */
  tsxImport?: string;
  /** `--import` value that loads the await-site transform (a file URL). */
  sitesImport?: string;
}

/** The folder this module runs from (the adapter bundle, or adapter/src under tsx/vitest). */
function ownDirectory(): string {
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

function resolveFrom(dir: string, request: string): string | undefined {
  try {
    return createRequire(join(dir, '__loopscope_resolve__.js')).resolve(request);
  } catch {
    return undefined;
  }
}

/**
 * tsx's loader as a file URL for `--import`, found from the program's folder first (the user's own
 * tsx), then the working directory, then next to the adapter (the copy the extension ships).
 */
export function resolveTsxLoader(program: string, cwd: string): string | undefined {
  for (const dir of [dirname(program), cwd, ownDirectory()]) {
    const found = resolveFrom(dir, 'tsx');
    if (found) return pathToFileURL(found).href;
  }
  return undefined;
}

/**
 * `loopscope/register` (the await-site transform: runtime/src/sites) as a file URL for `--import`:
 * the copy next to the adapter (the extension ships it in dist/), else the one of the runtime the
 * program imports. Undefined when neither is found: the program then runs untransformed and the
 * agent falls back to capturing stacks.
 */
export function resolveSitesRegister(program: string): string | undefined {
  const beside = join(ownDirectory(), 'register.mjs');
  if (existsSync(beside)) return pathToFileURL(beside).href;
  const runtime = resolveRuntimeFolder(program);
  const installed = runtime ? join(runtime, 'dist', 'register.mjs') : undefined;
  if (installed && existsSync(installed)) return pathToFileURL(installed).href;
  return undefined;
}

/** The folder of the `loopscope` runtime the program imports (for the JavaScript debugger's skipFiles). */
export function resolveRuntimeFolder(program: string): string | undefined {
  const pkg = resolveFrom(dirname(program), 'loopscope/package.json');
  return pkg ? dirname(pkg) : undefined;
}

/** Checks the launch configuration and works out the command line. Errors are sentences a user can act on. */
export function planLaunch(args: LaunchArguments, runtimeEnv: Record<string, string>): Parsed<LaunchPlan> {
  if (typeof args.program !== 'string' || args.program.trim() === '') {
    return { ok: false, message: "The launch configuration has no 'program': set it to the .ts or .js file to debug." };
  }
  if (args.cwd !== undefined && (typeof args.cwd !== 'string' || !existsSync(args.cwd) || !statSync(args.cwd).isDirectory())) {
    return { ok: false, message: `Cannot launch: the working directory ${JSON.stringify(args.cwd)} ('cwd') does not exist.` };
  }
  const base = args.cwd ? resolve(args.cwd) : process.cwd();
  const program = isAbsolute(args.program) ? args.program : resolve(base, args.program);
  if (!existsSync(program)) {
    return { ok: false, message: `Cannot launch: the program ${program} does not exist. Check 'program' in the launch configuration.` };
  }
  if (statSync(program).isDirectory()) {
    return { ok: false, message: `Cannot launch: ${program} is a folder; 'program' must be a .ts or .js file.` };
  }
  const ext = extname(program).toLowerCase();
  const isTypeScript = TYPESCRIPT.has(ext);
  if (!isTypeScript && !JAVASCRIPT.has(ext)) {
    return { ok: false, message: `Cannot launch ${basename(program)}: Loopscope runs .ts and .js programs (got ${ext || 'no extension'}).` };
  }
  const cwd = args.cwd ? resolve(args.cwd) : dirname(program);
  if (args.args !== undefined && (!Array.isArray(args.args) || args.args.some((a) => typeof a !== 'string'))) {
    return { ok: false, message: "'args' must be a list of strings." };
  }
  if (args.runtimeArgs !== undefined && (!Array.isArray(args.runtimeArgs) || args.runtimeArgs.some((a) => typeof a !== 'string'))) {
    return { ok: false, message: "'runtimeArgs' must be a list of strings." };
  }
  const nodeArgs = [...(args.runtimeArgs ?? [])];
  if (!nodeArgs.includes('--enable-source-maps')) nodeArgs.push('--enable-source-maps');
  let tsxImport: string | undefined;
  if (isTypeScript) {
    tsxImport = resolveTsxLoader(program, cwd);
    if (!tsxImport) {
      return {
        ok: false,
        message: `Cannot run ${basename(program)}: TypeScript programs run through tsx, which was not found from ${dirname(program)}. Install it (npm install -D tsx) or launch the compiled .js file.`,
      };
    }
    nodeArgs.push('--import', tsxImport);
  }
  // After tsx: its ES module hooks then hand the transform compiled JavaScript.
  const sitesImport = resolveSitesRegister(program);
  if (sitesImport) nodeArgs.push('--import', sitesImport);
  return {
    ok: true,
    value: {
      program,
      cwd,
      isTypeScript,
      runtimeExecutable: args.runtimeExecutable || 'node',
      nodeArgs,
      programArgs: [...(args.args ?? [])],
      envChanges: { ...(args.env ?? {}), ...runtimeEnv },
      tsxImport,
      sitesImport,
    },
  };
}

/** The environment of a child process: this process's, with the plan's changes (null removes). */
export function childEnvironment(plan: LaunchPlan, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(plan.envChanges)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface ProgramHandlers {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The process could not start (e.g. the runtime executable does not exist). */
  error(message: string): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

/** Starts the program as a child of the adapter; its output goes to the handlers. */
export function spawnProgram(plan: LaunchPlan, handlers: ProgramHandlers): ChildProcess {
  const child = spawn(plan.runtimeExecutable, [...plan.nodeArgs, plan.program, ...plan.programArgs], {
    cwd: plan.cwd,
    env: childEnvironment(plan),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => handlers.stdout(d));
  child.stderr?.on('data', (d: string) => handlers.stderr(d));
  let failed = false;
  child.on('error', (err: NodeJS.ErrnoException) => {
    failed = true;
    handlers.error(
      err.code === 'ENOENT'
        ? `Cannot start the program: the Node executable ${JSON.stringify(plan.runtimeExecutable)} was not found ('runtimeExecutable').`
        : `Cannot start the program: ${err.message}`,
    );
  });
  // 'close' (not 'exit'): every byte of output has been read by then.
  child.on('close', (code, signal) => {
    if (!failed) handlers.exit(code, signal);
  });
  return child;
}

/** The runInTerminal reverse request that starts the program in the client's integrated terminal. */
export function runInTerminalArguments(plan: LaunchPlan): DebugProtocol.RunInTerminalRequestArguments {
  return {
    kind: 'integrated',
    title: `Loopscope: ${basename(plan.program)}`,
    cwd: plan.cwd,
    args: [plan.runtimeExecutable, ...plan.nodeArgs, plan.program, ...plan.programArgs],
    env: plan.envChanges,
  };
}

/** The runtime's one source folder js-debug must not skip: its `debugger` statement (V8 ignores one in skipped code). */
const UNSKIPPED_FOLDER = 'jsStop';
/** The runtime's other source folders, for when the installed copy's src/ cannot be listed. */
const RUNTIME_FOLDERS = ['agent', 'cli', 'combinators', 'primitives', 'protocol', 'sites'];
/** Any copy of the runtime installed as a package, wherever it is. */
const ANY_INSTALLED_RUNTIME = '**/node_modules/loopscope';

/**
 * What js-debug skips of the runtime: every source of it but jsStop/, in the copy the program
 * imports (`runtimeFolder`, this repository's runtime/ or a node_modules copy) and in any copy under
 * a node_modules folder. The compiled bundle is skipped through its source map, by source file: its
 * own path must not be listed, or js-debug would skip every source in it, jsStop's too, and V8 would
 * ignore the runtime's `debugger` statement. Folders are listed (js-debug ignores a negated pattern
 * inside a skipped bundle), read from the installed copy's src/ so that a new one is skipped too.
 */
export function jsDebugSkipFiles(runtimeFolder: string | undefined): string[] {
  let folders = RUNTIME_FOLDERS;
  if (runtimeFolder !== undefined) {
    try {
      folders = readdirSync(join(runtimeFolder, 'src'), { withFileTypes: true })
        .filter((d) => d.isDirectory() && d.name !== UNSKIPPED_FOLDER)
        .map((d) => d.name)
        .sort();
    } catch {
      // A copy without its sources (the bundle's source map then names none to skip): the usual folders.
    }
  }
  const roots = [...new Set([...(runtimeFolder !== undefined ? [forwardSlashes(runtimeFolder)] : []), ANY_INSTALLED_RUNTIME])];
  const globs = ['<node_internals>/**'];
  for (const root of roots) globs.push(`${root}/src/*.ts`, ...folders.map((f) => `${root}/src/${f}/**`));
  return globs;
}

/** js-debug compares paths with forward slashes (Windows paths included). */
function forwardSlashes(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * The `pwa-node` configuration with which VS Code's JavaScript debugger runs the program as a child
 * session (line breakpoints, locals and watch keep working), while the program's runtime connects to
 * this adapter through the LOOPSCOPE_* variables in its environment.
 */
export function jsDebugConfiguration(args: LaunchArguments, plan: LaunchPlan): Record<string, unknown> {
  const runtimeFolder = resolveRuntimeFolder(plan.program);
  const runtimeArgs = [...(args.runtimeArgs ?? [])];
  if (plan.tsxImport) runtimeArgs.push('--import', plan.tsxImport);
  if (plan.sitesImport) runtimeArgs.push('--import', plan.sitesImport);
  return {
    type: 'pwa-node',
    request: 'launch',
    name: `${basename(plan.program)} (JavaScript)`,
    program: plan.program,
    args: plan.programArgs,
    cwd: plan.cwd,
    env: plan.envChanges,
    runtimeExecutable: plan.runtimeExecutable,
    runtimeArgs,
    outputCapture: 'std',
    console: args.console === 'integratedTerminal' ? 'integratedTerminal' : 'internalConsole',
    sourceMaps: true,
    // Stepping into the scheduler is never what a user means (the Loopscope session steps tasks), and
    // at a Loopscope stop the JavaScript debugger's stack shows the runtime's stop, then the user's
    // coroutine: every runtime frame between them is skipped, wherever the runtime is installed.
    skipFiles: jsDebugSkipFiles(runtimeFolder),
    // Source maps are read for the program's folder (js-debug's default, minus node_modules) and the
    // runtime's bundle wherever it is installed (a later pattern overrides the negated one).
    resolveSourceMapLocations: [`${plan.cwd}/**`, '!**/node_modules/**', ...new Set([...(runtimeFolder ? [`${forwardSlashes(runtimeFolder)}/**`] : []), `${ANY_INSTALLED_RUNTIME}/**`])],
  };
}
