/**
 * Node's module customization hooks (module.register) for ES modules: each user module's source,
 * as the next loader (tsx for TypeScript, or Node's own) produced it, goes through the await-site
 * transform. Runs on Node's loader thread; notes go back to the main thread through the port.
 */
import type { MessagePort } from 'node:worker_threads';
import { instrumentFile, isUserFile, withoutQuery } from './instrumentFile';

let port: MessagePort | null = null;

export function initialize(data: { port?: MessagePort } | undefined): void {
  port = data?.port ?? null;
}

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean };
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  // CommonJS without a source here is read by require() and goes through Module.prototype._compile
  // (register.ts); with a source (tsx's compiled TypeScript, imported from an ES module) Node compiles
  // it without _compile, so it is transformed here.
  const file = withoutQuery(url);
  if ((r.format !== 'module' && r.format !== 'commonjs') || r.source === null || r.source === undefined || !isUserFile(file)) return r;
  const text = typeof r.source === 'string' ? r.source : Buffer.from(r.source as ArrayBuffer).toString('utf8');
  const out = instrumentFile(text, file, r.format === 'module' ? 'module' : 'script');
  if (out.note !== undefined) port?.postMessage(out.note);
  return out.code === text ? r : { ...r, source: out.code };
}
