// Attach to an address that is not loopback: refused before a byte is sent (the session's secret
// would cross the network in clear text), with an error that says what to do; `allowRemote: true`
// connects anyway.
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startSession, type Session } from './harness';

let session: Session | null = null;
afterEach(async () => {
  await session?.dc.stop();
  session = null;
});

function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  return undefined;
}

describe('attach to another machine', () => {
  const address = externalAddress();
  it.skipIf(address === undefined)('is refused unless allowRemote, and the secret never leaves', async () => {
    let received = '';
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.setEncoding('utf8').on('data', (d: string) => (received += d));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, address, () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const s = (session = await startSession());
      await s.dc.initializeRequest();
      await expect(s.dc.attachRequest({ address, port, secret: 'do-not-leak' } as never)).rejects.toThrow(/Cannot attach to the program at .*not a loopback address.*allowRemote: true/s);
      // The refused connection arrives (then closes) with nothing on it.
      for (const end = Date.now() + 5000; connections === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
      expect(connections).toBe(1);
      expect(received).toBe('');
    } finally {
      server.close();
    }
  });
});
