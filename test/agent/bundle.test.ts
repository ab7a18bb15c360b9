// The agent inside the esbuild bundles users get (ESM and CommonJS): run() starts it from the
// environment, with no tsx and no sources around.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { listenForRuntime } from '../../runtime/src/protocol/peer';
import { root } from './helpers';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loopscope-bundle-'));
  const common = { entryPoints: [join(root, 'runtime/src/index.ts')], bundle: true, platform: 'node' as const, target: 'node20', sourcemap: true, logLevel: 'silent' as const };
  await build({ ...common, format: 'esm', outfile: join(dir, 'lib', 'index.mjs') });
  await build({ ...common, format: 'cjs', outfile: join(dir, 'lib', 'index.cjs') });
  const body = (imp: string) => `${imp}
function* worker(n) { yield* sleep(1); return n * 2; }
function* main() { const t = createTask(worker(21), { name: 'worker' }); return yield* t; }
run(main(), { name: 'main' }).then((v) => console.log('result', v));
`;
  // Throughput: 3 rounds of 1000 tasks x 300 steps, the best timed by the process's own CPU time
  // (the machine may be busy with other work).
  writeFileSync(
    join(dir, 'spin.mjs'),
    `import { run, createTask, sleep, gather } from './lib/index.mjs';
function* spin(n) { for (let i = 0; i < n; i++) yield* sleep(0); }
function* main() { yield* gather(Array.from({ length: 1000 }, () => createTask(spin(300)))); }
await run(sleep(0));
let best = Infinity;
for (let round = 0; round < 3; round++) {
  const c0 = process.cpuUsage();
  await run(main());
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1000);
}
console.log(JSON.stringify({ cpuMs: best, rounds: 3 }));
`,
  );
  // A user's TypeScript compiled with source maps, run with --enable-source-maps: frames map to the .ts.
  writeFileSync(
    join(dir, 'user.ts'),
    `import { run, createTask, sleep } from './lib/index.mjs';

// padding, so that compiled and original lines differ
type Job = { id: number };

function* worker(job: Job): Generator<unknown, number, unknown> {
  yield* sleep(1);
  return job.id;
}

function* main() {
  const t = createTask(worker({ id: 7 }), { name: 'worker' }); // CREATE
  return yield* t;
}

run(main(), { name: 'main' }).then((v) => console.log('result', v));
`,
  );
  await build({ entryPoints: [join(dir, 'user.ts')], outfile: join(dir, 'user.mjs'), format: 'esm', platform: 'node', sourcemap: true, bundle: true, external: ['./lib/index.mjs'], logLevel: 'silent' });
  writeFileSync(join(dir, 'prog.mjs'), body(`import { run, createTask, sleep } from './lib/index.mjs';`));
  writeFileSync(join(dir, 'prog.cjs'), body(`const { run, createTask, sleep } = require('./lib/index.cjs');`));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('agent in the bundles', () => {
  for (const prog of ['prog.mjs', 'prog.cjs']) {
    it(`${prog}: connects from run(), stops on entry, streams, and exits when done`, async () => {
      const listener = await listenForRuntime();
      try {
        // FORCE_COLOR (scripts/test.mjs sets it) would colour the 42 that console.log prints.
        const child = spawn(process.execPath, [join(dir, prog)], { env: { ...process.env, FORCE_COLOR: '0', ...listener.env({ stopOnEntry: true }) }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        const exit = new Promise((r) => child.on('exit', r));
        const conn = await listener.accept(20_000);
        const names = new Set<string>();
        const created = new Map<string, string>();
        conn.on('delta', (m) =>
          m.tasks.forEach((t) => {
            names.add(`${t.name}:${t.state}`);
            if (t.createdAt) created.set(t.name, `${t.createdAt.file.split('/').pop()}:${t.createdAt.line}:${t.createdAt.function}`);
          }),
        );
        const stopped = await new Promise<{ reason: string }>((r) => conn.on('stopped', r));
        expect(stopped.reason).toBe('entry');
        const closed = new Promise((r) => conn.on('loopClosed', r));
        await conn.request('resume', {});
        expect(await closed).toMatchObject({ outcome: 'done' });
        expect(await exit).toBe(0);
        expect(out).toContain('result 42');
        expect(names).toContain('worker:done');
        expect(names).toContain('main:done');
        // The user's frame, not the bundle's: where main created the worker.
        expect(created.get('worker')).toBe(`${prog}:3:main`);
      } finally {
        listener.close();
      }
    });
  }

  it('maps frames of compiled TypeScript back to the .ts lines (node --enable-source-maps)', async () => {
    const listener = await listenForRuntime();
    try {
      const child = spawn(process.execPath, ['--enable-source-maps', join(dir, 'user.mjs')], { env: { ...process.env, ...listener.env({ stopOnEntry: true }) }, stdio: ['ignore', 'pipe', 'pipe'] });
      const exit = new Promise((r) => child.on('exit', r));
      const conn = await listener.accept(20_000);
      const created = new Map<string, unknown>();
      conn.on('delta', (m) => m.tasks.forEach((t) => t.createdAt && created.set(t.name, t.createdAt)));
      await new Promise((r) => conn.on('stopped', r));
      await conn.request('setOptions', { stacks: 'always' });
      await conn.request('resume', {});
      expect(await exit).toBe(0);
      const line = readFileSync(join(dir, 'user.ts'), 'utf8').split('\n').findIndex((l) => l.includes('// CREATE')) + 1;
      expect(created.get('worker')).toMatchObject({ file: join(dir, 'user.ts'), line, function: 'main' });
    } finally {
      listener.close();
    }
  });

  it('streams at least 1 M timeline events per second of the program\'s CPU time', async () => {
    const listener = await listenForRuntime();
    try {
      const child = spawn(process.execPath, [join(dir, 'spin.mjs')], { env: { ...process.env, ...listener.env({ stopOnEntry: true }) }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      // 'close', not 'exit': its stdout (the last line, read below) is read to its end by then.
      const exit = new Promise((r) => child.on('close', r));
      const conn = await listener.accept(20_000);
      // Everything the program sent is read once the connection has closed (not at some moment after the exit).
      const closed = new Promise<void>((r) => conn.on('close', () => r()));
      let events = 0;
      let dropped = 0;
      conn.on('delta', (m) => {
        events += m.events?.length ?? 0;
        dropped += m.dropped ?? 0;
      });
      await new Promise((r) => conn.on('stopped', r));
      await conn.request('setOptions', { timeline: true });
      await conn.request('resume', {});
      expect(await exit).toBe(0);
      await closed;
      const { cpuMs, rounds } = JSON.parse(out.trim().split('\n').pop()!);
      // 300 000 steps a round: each is scheduled, resumed and suspended; every event is sent or counted.
      const perRound = (events + dropped) / rounds;
      expect(perRound).toBeGreaterThanOrEqual(900_000);
      const perSecond = (perRound / cpuMs) * 1000;
      console.log(`timeline: ${events} events streamed, ${dropped} dropped, ${Math.round(perSecond / 1000)}k events per CPU-second`);
      expect(perSecond).toBeGreaterThan(1_000_000);
    } finally {
      listener.close();
    }
  }, 90_000);
});
