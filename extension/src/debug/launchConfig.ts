/**
 * Loopscope debug configurations without the editor: the configuration for debugging one file (F5
 * with no launch.json), the defaults taken from settings, and validation with messages that name
 * the field and say what is expected. The fields mirror adapter/src/dapCustom.ts's LaunchArguments
 * and AttachArguments (and package.json's JSON schema).
 */
import { DEBUG_TYPE, DEFAULT_MAX_THREADS, DEFAULT_SLOW_STEP_MS } from '../../../adapter/src/dapCustom';

/** The subset of vscode.DebugConfiguration this module reads and writes. */
export interface Config {
  type: string;
  request: string;
  name: string;
  [key: string]: unknown;
}

/** Defaults from the user's settings (loopscope.*). */
export interface ConfigDefaults {
  jsDebug: boolean;
  maxThreads: number;
  timeline: boolean;
  stacks: 'always' | 'sampled' | 'off';
  /** A task step longer than this (ms) is reported as slow; 0: never. */
  slowStepMs: number;
}

export const DEFAULTS: ConfigDefaults = { jsDebug: true, maxThreads: DEFAULT_MAX_THREADS, timeline: false, stacks: 'always', slowStepMs: DEFAULT_SLOW_STEP_MS };

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

export function isDebuggableFile(path: string): boolean {
  const lower = path.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !lower.endsWith('.d.ts');
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The configuration F5 uses on a file when there is no launch.json. */
export function configForFile(file: string, cwd?: string): Config {
  const config: Config = { type: DEBUG_TYPE, request: 'launch', name: `Loopscope: ${baseName(file)}`, program: file };
  if (cwd) config.cwd = cwd;
  return config;
}

/**
 * The configurations a new launch.json starts with (package.json's initialConfigurations says the
 * same). Attach is offered as a snippet: its port and secret are the program's to tell.
 */
export function initialConfigurations(): Config[] {
  return [{ type: DEBUG_TYPE, request: 'launch', name: 'Loopscope: current file', program: '${file}', cwd: '${workspaceFolder}' }];
}

/** Fills what the user left out with their settings; fields they set are kept. */
export function withDefaults(config: Config, defaults: ConfigDefaults): Config {
  const out: Config = { ...config };
  if (out.request === 'launch' && out.jsDebug === undefined) out.jsDebug = defaults.jsDebug;
  if (out.maxThreads === undefined) out.maxThreads = defaults.maxThreads;
  if (out.timeline === undefined) out.timeline = defaults.timeline;
  if (out.stacks === undefined) out.stacks = defaults.stacks;
  if (out.slowStepMs === undefined) out.slowStepMs = defaults.slowStepMs;
  return out;
}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const isStringArray: Check = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isPositiveInt: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isPositiveNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isNonNegativeNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isEnv: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string' || x === null);
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);

/** Optional fields: name → [check, what is expected]. */
const COMMON: Record<string, [Check, string]> = {
  maxThreads: [isPositiveInt, 'a positive whole number'],
  timeline: [isBool, 'true or false'],
  stacks: [oneOf('always', 'sampled', 'off'), '"always", "sampled" or "off"'],
  slowStepMs: [isNonNegativeNumber, 'a number of milliseconds, 0 or more (0: no slow-step reports)'],
};

const LAUNCH: Record<string, [Check, string]> = {
  ...COMMON,
  args: [isStringArray, 'an array of strings'],
  cwd: [isString, 'a folder path'],
  env: [isEnv, 'an object whose values are strings (or null to remove a variable)'],
  runtimeExecutable: [isString, 'the path of a Node executable'],
  runtimeArgs: [isStringArray, 'an array of strings'],
  stopOnEntry: [isBool, 'true or false'],
  console: [oneOf('internalConsole', 'integratedTerminal'), '"internalConsole" or "integratedTerminal"'],
  jsDebug: [isBool, 'true or false'],
  connectTimeout: [isPositiveNumber, 'a positive number of seconds'],
};

const ATTACH: Record<string, [Check, string]> = {
  ...COMMON,
  address: [isString, 'a host name or address'],
  // Attaching beyond loopback sends the session's secret in clear text: an explicit opt-in (docs/protocol.md).
  allowRemote: [isBool, 'true or false'],
};

/** The fields validated beyond the required ones (package.json's schema must describe the same). */
export const LAUNCH_FIELDS = ['program', ...Object.keys(LAUNCH)];
export const ATTACH_FIELDS = ['port', 'secret', ...Object.keys(ATTACH)];

function got(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * What is wrong with a configuration (after variable substitution), or undefined when it is fine.
 * `exists` checks that an absolute program path exists.
 */
export function validateConfig(config: Config, exists: (path: string) => boolean = () => true): string | undefined {
  const where = `Loopscope configuration "${config.name || '(unnamed)'}"`;
  if (config.request !== 'launch' && config.request !== 'attach') return `${where}: "request" must be "launch" or "attach" (got ${got(config.request)}).`;
  const fields = config.request === 'launch' ? LAUNCH : ATTACH;
  if (config.request === 'launch') {
    const program = config.program;
    if (typeof program !== 'string' || program.trim() === '') return `${where}: "program" is required: the .ts or .js file to debug.`;
    if (!isDebuggableFile(program)) return `${where}: "program" must be a TypeScript or JavaScript file (.ts, .mts, .js, .mjs...), got ${got(program)}.`;
    if (isAbsolutePath(program) && !exists(program)) return `${where}: the program ${program} does not exist.`;
  } else {
    const port = config.port;
    if (port === undefined) return `${where}: "port" is required: the port the program's agent listens on (LOOPSCOPE_LISTEN).`;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return `${where}: "port" must be a whole number from 1 to 65535 (got ${got(port)}).`;
    if (typeof config.secret !== 'string' || config.secret === '') return `${where}: "secret" is required: the LOOPSCOPE_SECRET the program was started with.`;
  }
  for (const [field, [ok, expected]] of Object.entries(fields)) {
    const v = config[field];
    if (v !== undefined && !ok(v)) return `${where}: "${field}" must be ${expected} (got ${got(v)}).`;
  }
  return undefined;
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
