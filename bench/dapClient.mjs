// The smallest DAP client that runs a program under the Loopscope debug adapter (dist/debugAdapter.js)
// as VS Code would launch it, reading and discarding everything the adapter sends except the
// program's stdout. Used for the "agent → debug adapter" rounds.
import { spawn } from 'node:child_process';

const TIMEOUT_MS = 120_000;

/**
 * Launches `program args` under the adapter and resolves with the last JSON line the program printed.
 * `onEvent` sees every DAP event the adapter sends (the others are only counted).
 * `nodeArgs` go to the adapter's Node (e.g. --cpu-prof, when a target is missed and the adapter is profiled).
 * @param {{ adapter: string, program: string, args: string[], launch?: object, label: string, nodeArgs?: string[], onEvent?: (event: string, body: any, adapterPid: number | undefined) => void }} o
 */
export function runUnderAdapter(o) {
  return new Promise((resolve, reject) => {
    const adapter = spawn(process.execPath, [...(o.nodeArgs ?? []), o.adapter], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seq = 1;
    let buf = Buffer.alloc(0);
    let stdout = '';
    let stderr = '';
    let adapterErr = '';
    const counts = { dapMessages: 0, dapBytes: 0 };
    const pending = new Map();
    let finished = false;
    const timer = setTimeout(() => fail(new Error(`${o.label}: the program did not finish under the adapter within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);

    function finish(err, value) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Ask it to end as a client would (a profile is written only on a clean exit), then make sure.
      if (!err) send('disconnect', { terminateDebuggee: true }).catch(() => {});
      const kill = setTimeout(() => adapter.kill(), err ? 0 : 2000);
      adapter.once('close', () => clearTimeout(kill));
      if (err) reject(err);
      else resolve(value);
    }
    const fail = (err) => finish(err);

    function send(command, args) {
      const id = seq++;
      const body = Buffer.from(JSON.stringify({ seq: id, type: 'request', command, arguments: args }), 'utf8');
      adapter.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      adapter.stdin.write(body);
      return new Promise((res, rej) => pending.set(id, { res, rej, command }));
    }

    function onMessage(msg) {
      counts.dapMessages++;
      if (msg.type === 'response') {
        const p = pending.get(msg.request_seq);
        if (!p) return;
        pending.delete(msg.request_seq);
        if (msg.success) p.res(msg.body);
        else p.rej(new Error(`${o.label}: the adapter refused '${p.command}': ${msg.message} ${JSON.stringify(msg.body?.error ?? '')}`));
      } else if (msg.type === 'event') {
        o.onEvent?.(msg.event, msg.body, adapter.pid);
        if (msg.event === 'output') {
          if (msg.body.category === 'stdout') stdout += msg.body.output;
          else if (msg.body.category === 'stderr') stderr += msg.body.output;
        } else if (msg.event === 'terminated') {
          const line = stdout.trim().split('\n').pop();
          try {
            finish(null, { ...JSON.parse(line ?? ''), watched: counts });
          } catch {
            fail(new Error(`${o.label}: the program printed no result under the adapter: ${JSON.stringify(stdout.slice(-300))}\n${stderr}`));
          }
        }
      } else if (msg.type === 'request') {
        // A reverse request (none is expected: this client supports neither runInTerminal nor startDebugging).
        const body = Buffer.from(JSON.stringify({ seq: seq++, type: 'response', request_seq: msg.seq, command: msg.command, success: false, message: 'not supported' }));
        adapter.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
        adapter.stdin.write(body);
      }
    }

    adapter.stdout.on('data', (chunk) => {
      counts.dapBytes += chunk.length;
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const headerEnd = buf.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, headerEnd).toString('ascii'));
        if (!m) return fail(new Error(`${o.label}: the adapter sent a message without Content-Length`));
        const len = Number(m[1]);
        if (buf.length < headerEnd + 4 + len) return;
        const body = buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
        buf = buf.subarray(headerEnd + 4 + len);
        onMessage(JSON.parse(body));
      }
    });
    adapter.stderr.on('data', (d) => (adapterErr += d));
    adapter.on('error', (e) => fail(new Error(`${o.label}: cannot start the adapter: ${e.message}`)));
    adapter.on('close', (code) => {
      if (!finished) fail(new Error(`${o.label}: the adapter exited (${code}) before the program finished\n${adapterErr}\n${stderr}`));
    });

    (async () => {
      await send('initialize', { clientID: 'loopscope-bench', adapterID: 'loopscope', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      await send('launch', { program: o.program, args: o.args, jsDebug: false, console: 'internalConsole', ...o.launch });
      await send('configurationDone', {});
    })().catch(fail);
  });
}
