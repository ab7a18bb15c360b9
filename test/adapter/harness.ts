/**
 * Drives the standalone debug adapter the way an editor does: the adapter is bundled exactly as
 * scripts/build.mjs bundles dist/debugAdapter.js (into a temporary folder, so the test never reads a
 * stale build), and @vscode/debugadapter-testsupport's DebugClient speaks DAP to it over stdio.
 *
 * Test programs import 'loopscope'. They run under tsx with TSX_TSCONFIG_PATH pointing at
 * test/adapter/programs/tsconfig.json, whose `paths` map 'loopscope' to runtime/src/index.ts: the
 * programs always run the runtime's current sources (no runtime/dist build needed, none can be stale).
 */
import { build } from 'esbuild';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROGRAMS = join(ROOT, 'test', 'adapter', 'programs');
export const EXAMPLES = join(ROOT, 'examples');
export const PROGRAMS_TSCONFIG = join(PROGRAMS, 'tsconfig.json');

let bundle: Promise<string> | null = null;

/** dist/debugAdapter.js as scripts/build.mjs builds it, once per test process. */
export function adapterBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'loopscope-adapter-'));
    const outfile = join(outdir, 'debugAdapter.js');
    await build({
      entryPoints: [join(ROOT, 'adapter/src/debugAdapter.ts')],
      outfile,
      platform: 'node',
      target: 'node20',
      bundle: true,
      sourcemap: true,
      format: 'cjs',
      logLevel: 'warning',
    });
    // The await-site transform the adapter loads into programs, next to it as the extension ships it.
    const esmRequire = 'import { createRequire as __loopscopeCreateRequire } from "node:module"; const require = __loopscopeCreateRequire(import.meta.url);';
    for (const [entry, out] of [['runtime/src/sites/register.ts', 'register.mjs'], ['runtime/src/sites/registerHooks.ts', 'register-hooks.mjs']]) {
      await build({ entryPoints: [join(ROOT, entry)], outfile: join(outdir, out), platform: 'node', target: 'node20', bundle: true, sourcemap: true, format: 'esm', banner: { js: esmRequire }, logLevel: 'warning' });
    }
    return outfile;
  })();
  return bundle;
}

export interface Session {
  dc: DebugClient;
  /** Everything the adapter printed (output events), in order. */
  output(): string;
  /** Resolves when the output matches. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Custom events received so far, by name. */
  events(name: string): DebugProtocol.Event[];
  waitForCustom(name: string, pred?: (body: any) => boolean, timeoutMs?: number): Promise<any>;
  /**
   * The next stopped event not yet taken. Events are queued as they arrive, so one that comes in the
   * same chunk as the response to the request that caused it is never missed.
   */
  nextStop(timeoutMs?: number): Promise<DebugProtocol.StoppedEvent['body']>;
}

export async function startSession(): Promise<Session> {
  const adapter = await adapterBundle();
  const dc = new DebugClient('node', adapter, 'loopscope', { cwd: ROOT }, !!process.env.LOOPSCOPE_ADAPTER_STDERR);
  dc.defaultTimeout = 15_000;
  await dc.start();
  let text = '';
  const custom = new Map<string, DebugProtocol.Event[]>();
  const listeners = new Set<() => void>();
  const stops: DebugProtocol.StoppedEvent[] = [];
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => {
    stops.push(e);
    for (const l of listeners) l();
  });
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    text += e.body.output;
    for (const l of listeners) l();
  });
  for (const name of ['loopscope/snapshot', 'loopscope/delta', 'loopscope/stopped', 'loopscope/continued', 'loopscope/status']) {
    dc.on(name, (e: DebugProtocol.Event) => {
      custom.set(name, [...(custom.get(name) ?? []), e]);
      for (const l of listeners) l();
    });
  }
  const waitUntil = <T>(check: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const tick = () => {
        const v = check();
        if (v !== undefined) {
          listeners.delete(tick);
          clearTimeout(timer);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(tick);
        reject(new Error(`timed out waiting for ${what}; output so far:\n${text}`));
      }, timeoutMs);
      listeners.add(tick);
      tick();
    });
  return {
    dc,
    output: () => text,
    waitForOutput: (re, timeoutMs = 15_000) => waitUntil(() => (re.test(text) ? text : undefined), `output ${re}`, timeoutMs),
    events: (name) => custom.get(name) ?? [],
    nextStop: (timeoutMs = 15_000) => waitUntil(() => stops.shift()?.body, 'a stopped event', timeoutMs),
    waitForCustom: (name, pred = () => true, timeoutMs = 15_000) =>
      waitUntil(() => (custom.get(name) ?? []).find((e) => pred(e.body))?.body, `custom event ${name}`, timeoutMs),
  };
}

/** Launch arguments for a test program: tsx resolves 'loopscope' to the runtime's sources. */
export function programLaunch(program: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { env, ...rest } = extra as { env?: Record<string, string> };
  return {
    program,
    cwd: dirname(program),
    jsDebug: false,
    connectTimeout: 15,
    env: { TSX_TSCONFIG_PATH: PROGRAMS_TSCONFIG, ...(env ?? {}) },
    ...rest,
  };
}

/** The 1-based line of the line marked `// @marker` in a file. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => new RegExp(`//.*@${marker}\\b`).test(l));
  if (i < 0) throw new Error(`no line marked @${marker} in ${file}`);
  return i + 1;
}

/** The line of the first occurrence of `text` in a file (for files without markers, such as examples/). */
export function lineWith(file: string, text: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`no line containing ${JSON.stringify(text)} in ${file}`);
  return i + 1;
}

export interface Breakpoints {
  source?: { path: string; breakpoints: DebugProtocol.SourceBreakpoint[] }[];
  functions?: DebugProtocol.FunctionBreakpoint[];
  filters?: DebugProtocol.ExceptionFilterOptions[];
}

/**
 * Launches as VS Code does: initialize, launch, the configuration requests (breakpoints), then
 * configurationDone. Resolves with the responses to the breakpoint requests.
 */
export async function launchWith(s: Session, args: Record<string, unknown>, bps: Breakpoints = {}) {
  await s.dc.launch(args);
  const source = [];
  for (const f of bps.source ?? []) source.push(await s.dc.setBreakpointsRequest({ source: { path: f.path }, breakpoints: f.breakpoints }));
  const functions = bps.functions ? await s.dc.setFunctionBreakpointsRequest({ breakpoints: bps.functions }) : undefined;
  const filters = await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: bps.filters ?? [] });
  await s.dc.configurationDoneRequest();
  return { source, functions, filters };
}

export function nextStop(s: Session, timeoutMs = 15_000): Promise<DebugProtocol.StoppedEvent['body']> {
  return s.nextStop(timeoutMs);
}

/** A stack as text, one entry per frame: `fn file.ts:12`, `── label ──`, subtle frames marked `(created)`. */
export async function stackText(s: Session, threadId: number): Promise<string[]> {
  const r = await s.dc.stackTraceRequest({ threadId });
  return r.body.stackFrames.map((f) => {
    if (f.presentationHint === 'label') return `── ${f.name} ──`;
    return `${f.name} ${f.source?.name ?? '?'}:${f.line}${f.presentationHint === 'subtle' ? ' (created)' : ''}`;
  });
}

/** The variables of a stopped thread's top frame, by scope name, as `name → value`. */
export async function scopeValues(s: Session, threadId: number): Promise<Record<string, Record<string, string>>> {
  const st = await s.dc.stackTraceRequest({ threadId });
  const frame = st.body.stackFrames.find((f) => f.presentationHint !== 'label') ?? st.body.stackFrames[0];
  const scopes = await s.dc.scopesRequest({ frameId: frame.id });
  const out: Record<string, Record<string, string>> = {};
  for (const scope of scopes.body.scopes) {
    const vars = await s.dc.variablesRequest({ variablesReference: scope.variablesReference });
    out[scope.name] = Object.fromEntries(vars.body.variables.map((v) => [v.name, v.value]));
  }
  return out;
}

export async function threadNames(s: Session): Promise<Map<number, string>> {
  const r = await s.dc.threadsRequest();
  return new Map(r.body.threads.map((t) => [t.id, t.name]));
}

/**
 * Answers the adapter's reverse requests (runInTerminal, startDebugging) as an editor would; the
 * DebugClient itself ignores them. The handler's result becomes the response body; a thrown error a
 * failed response.
 */
export function answerReverseRequests(dc: DebugClient, handler: (command: string, args: any) => unknown): DebugProtocol.Request[] {
  const seen: DebugProtocol.Request[] = [];
  const client = dc as unknown as { dispatch(body: string): void; outputStream: NodeJS.WritableStream };
  const original = client.dispatch.bind(client);
  let seq = 100_000;
  client.dispatch = (body: string) => {
    const msg = JSON.parse(body) as DebugProtocol.ProtocolMessage;
    if (msg.type !== 'request') return original(body);
    const req = msg as DebugProtocol.Request;
    seen.push(req);
    let response: DebugProtocol.Response;
    try {
      response = { type: 'response', seq: seq++, request_seq: req.seq, command: req.command, success: true, body: handler(req.command, req.arguments) };
    } catch (e) {
      response = { type: 'response', seq: seq++, request_seq: req.seq, command: req.command, success: false, message: (e as Error).message };
    }
    const json = JSON.stringify(response);
    client.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
  };
  return seen;
}

/** initialize as VS Code does (it supports runInTerminal and startDebugging), without launching. */
export async function initializeLikeVSCode(dc: DebugClient): Promise<DebugProtocol.Capabilities> {
  const r = await dc.initializeRequest({
    adapterID: 'loopscope',
    clientID: 'vscode',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    supportsRunInTerminalRequest: true,
    supportsStartDebuggingRequest: true,
    supportsVariableType: true,
  });
  return r.body!;
}
