/**
 * The browser tests' web server, on 127.0.0.1 only: the Task Inspector page exactly as the
 * extension builds it (inspectorHtml: the same strict CSP with a fresh nonce), with the harness's
 * fake VS Code API script and a theme stylesheet added, and the built dist/webview files.
 *
 *   /?capacity=N   the page, with #app's data-event-capacity set to N
 *   /dist/webview/<file>, /harness/<file>
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { inspectorHtml } from '../../../extension/src/inspector/inspectorHtml';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export interface HarnessServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** The page: the extension's own HTML plus the harness script (with the same nonce) and a theme. */
export function harnessPage(origin: string, capacity?: number): string {
  const nonce = randomBytes(18).toString('base64');
  let html = inspectorHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/dist/webview/main.js`,
    styleUri: `${origin}/dist/webview/style.css`,
    codiconsUri: `${origin}/dist/webview/codicon.css`,
  });
  const theme = `<link rel="stylesheet" href="${origin}/harness/theme-dark.css">\n`;
  const fake = `<script nonce="${nonce}" src="${origin}/harness/fake-vscode.js"></script>\n`;
  html = html.replace('<title>', `${theme}<title>`).replace('<script nonce=', `${fake}<script nonce=`);
  if (capacity !== undefined) html = html.replace('<div id="app"></div>', `<div id="app" data-event-capacity="${Math.floor(capacity)}"></div>`);
  return html;
}

async function serveFile(res: ServerResponse, base: string, rel: string): Promise<void> {
  const path = normalize(join(base, rel));
  if (!path.startsWith(base)) return void res.writeHead(403).end();
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
  }
}

export async function startHarnessServer(): Promise<HarnessServer> {
  const dist = join(repoRoot, 'dist', 'webview');
  let origin = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const capacity = url.searchParams.has('capacity') ? Number(url.searchParams.get('capacity')) : undefined;
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(harnessPage(origin, capacity));
      return;
    }
    if (url.pathname.startsWith('/dist/webview/')) return void serveFile(res, dist, url.pathname.slice('/dist/webview/'.length));
    if (url.pathname.startsWith('/harness/')) return void serveFile(res, here, url.pathname.slice('/harness/'.length));
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
