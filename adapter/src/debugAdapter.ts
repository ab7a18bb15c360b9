/**
 * The standalone debug adapter: `node dist/debugAdapter.js` speaks DAP on stdin/stdout;
 * `node dist/debugAdapter.js --server=PORT` accepts DAP clients on a TCP port (one session per
 * connection), for debugging the adapter itself. The VS Code extension runs LoopscopeSession inline
 * instead.
 */
import { createServer } from 'node:net';
import { LoopscopeSession } from './session';

export { LoopscopeSession };

function serverPort(argv: readonly string[]): number | undefined {
  for (const arg of argv) {
    const m = /^--server=(\d+)$/.exec(arg);
    if (m) {
      const port = Number(m[1]);
      if (port < 1 || port > 65535) {
        console.error(`--server=${m[1]}: the port must be 1..65535`);
        process.exit(2);
      }
      return port;
    }
  }
  return undefined;
}

function main(): void {
  const port = serverPort(process.argv.slice(2));
  if (port !== undefined) {
    const server = createServer((socket) => {
      const session = new LoopscopeSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
      socket.on('close', () => session.dispose());
    });
    server.on('error', (err: NodeJS.ErrnoException) => {
      console.error(`Loopscope debug adapter: cannot listen on port ${port} (${err.code ?? err.message})`);
      process.exit(1);
    });
    server.listen(port, '127.0.0.1', () => console.error(`Loopscope debug adapter: waiting for DAP clients on 127.0.0.1:${port}`));
    return;
  }
  const session = new LoopscopeSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

main();
