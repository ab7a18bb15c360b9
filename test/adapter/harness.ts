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
import { mkdtempSync } from 'node:fs';
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
}

export async function startSession(): Promise<Session> {
  const adapter = await adapterBundle();
  const dc = new DebugClient('node', adapter, 'loopscope', { cwd: ROOT }, !!process.env.LOOPSCOPE_ADAPTER_STDERR);
  dc.defaultTimeout = 15_000;
  await dc.start();
  let text = '';
  const custom = new Map<string, DebugProtocol.Event[]>();
  const listeners = new Set<() => void>();
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
