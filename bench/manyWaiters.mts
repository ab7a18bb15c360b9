// 100,000 tasks on one Event, alone and under a minimal debugger that pauses it (docs/performance.md,
// "100,000 tasks on one Event"): the longest stall of Node's event loop while every task waits, and
// how long each pause takes to be answered and to stop, with the debugger's tree checked at each stop.
// `node --import tsx bench/manyWaiters.mts [N] [pause times in ms, e.g. 1500,2500,3500]`
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { listenForRuntime } from '../runtime/src/protocol/peer';

const program = fileURLToPath(new URL('./manyWaitersProgram.ts', import.meta.url));
const n = Number(process.argv[2] ?? 100_000);
const pauseAt = (process.argv[3] ?? '1500,2500,3500').split(',').map(Number);
const sleep = String(Math.max(...pauseAt) + 1500);

function runIt(env: Record<string, string>): Promise<{ code: number | null; result: Record<string, number> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', program], { env: { ...process.env, N: String(n), SLEEP: sleep, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', (code) => resolve({ code, result: JSON.parse(out.trim().split('\n').at(-1) ?? '{}') }));
  });
}

console.log(`${n} tasks on one Event; load average ${loadavg()[0].toFixed(2)} at the start`);
const alone = await runIt({});
console.log(`alone:          ${JSON.stringify(alone.result)}`);

const listener = await listenForRuntime();
const under = runIt(listener.env());
const conn = await listener.accept(30_000);
const tasks = new Map<number, { state: string }>();
conn.on('snapshot', (m) => {
  tasks.clear();
  for (const t of m.tasks) tasks.set(t.id, t);
});
conn.on('delta', (m) => {
  for (const t of m.tasks) tasks.set(t.id, t);
  for (const id of m.removed ?? []) tasks.delete(id);
});
let onStop: (() => void) | null = null;
conn.on('stopped', () => onStop?.());
const t0 = Date.now();
for (const at of pauseAt) {
  await new Promise((r) => setTimeout(r, Math.max(0, at - (Date.now() - t0))));
  const p0 = Date.now();
  const stopped = new Promise<void>((r) => (onStop = r));
  await conn.request('pause', {});
  const answered = Date.now() - p0;
  await stopped;
  const stop = Date.now() - p0;
  const states: Record<string, number> = {};
  for (const t of tasks.values()) states[t.state] = (states[t.state] ?? 0) + 1;
  console.log(`pause at ${at} ms: answered in ${answered} ms, stopped in ${stop} ms; the debugger's tree: ${JSON.stringify(states)}`);
  await conn.request('resume', {});
}
const watched = await under;
console.log(`under debugger: ${JSON.stringify(watched.result)}; load average ${loadavg()[0].toFixed(2)} at the end`);
conn.close();
listener.close();
