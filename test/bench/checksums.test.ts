// Every benchmark workload computes the checksum its spec predicts, on every peer, so a benchmark
// cannot silently measure nothing (a workload that skipped its work would report a wrong sum).
// No timing is asserted here: speed is measured by `npm run bench`, never by unit tests.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ls from 'loopscope';
import { WORKLOADS, WORKLOAD_NAMES, checkParams } from '../../bench/workloads/spec.mjs';
import { loopscopeWorkloads } from '../../bench/workloads/loopscope.mjs';
import { nativeWorkloads } from '../../bench/workloads/native.mjs';
import { effectionWorkloads } from '../../bench/workloads/effection.mjs';
import { noopInstrument, HOOK_NAMES } from '../../bench/noopInstrument.mjs';
import { buildVariants } from '../../bench/buildVariants.mjs';

const root = join(__dirname, '../..');

/** Small sizes, with each dimension > 1 so that interleaving and contention really happen. */
const SMALL: Record<string, Record<string, number>> = {
  switch: { n: 7, m: 5 },
  spawn: { n: 9, reps: 3 },
  pingpong: { rounds: 25 },
  lock: { n: 6, k: 4 },
  timers: { n: 40, spread: 5 },
  taskgroup: { groups: 4, width: 6 },
};

function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import asyncio; asyncio.TaskGroup']).status === 0;
}

describe('benchmark workloads compute the same checksum on every peer', () => {
  it('covers every workload in the spec', () => {
    expect(Object.keys(SMALL).sort()).toEqual([...WORKLOAD_NAMES].sort());
  });

  const loopscope = loopscopeWorkloads(ls);
  const python = hasPython();

  for (const name of WORKLOAD_NAMES) {
    const params = SMALL[name];
    const expected = WORKLOADS[name].checksum(params);

    it(`${name}: Loopscope`, async () => {
      expect(await loopscope[name as keyof typeof loopscope](params)).toBe(expected);
    });
    it(`${name}: Node async/await`, async () => {
      expect(await nativeWorkloads[name as keyof typeof nativeWorkloads](params)).toBe(expected);
    });
    it(`${name}: Effection`, async () => {
      expect(await effectionWorkloads[name as keyof typeof effectionWorkloads](params)).toBe(expected);
    });
    it.skipIf(!python)(`${name}: CPython asyncio`, () => {
      const out = execFileSync('python3', [join(root, 'bench/workloads/asyncio_workloads.py'), name, JSON.stringify(params), '0', '1'], { encoding: 'utf8' });
      expect(JSON.parse(out).checksum).toBe(expected);
    });
  }

  it('the checksums depend on the work: the lock workload without the lock loses updates', async () => {
    const { n, k } = SMALL.lock;
    const state = { counter: 0 };
    function* unguarded() {
      for (let j = 0; j < k; j++) {
        const v = state.counter;
        yield* ls.sleep(0);
        state.counter = v + 1;
      }
    }
    await ls.run(
      (function* () {
        const tasks = Array.from({ length: n }, () => ls.createTask(unguarded()));
        for (const t of tasks) yield* t;
      })(),
    );
    expect(state.counter).toBeLessThan(WORKLOADS.lock.checksum(SMALL.lock));
  });

  it('rejects unknown workloads and bad parameters', () => {
    expect(() => checkParams('swtich', {})).toThrow(/unknown workload 'swtich'/);
    expect(() => checkParams('switch', { n: 10 })).toThrow(/parameter m must be a positive integer/);
    expect(() => checkParams('switch', { n: 10, m: 2, x: 1 })).toThrow(/unknown parameter x/);
  });
});

describe('the cost-of-watching variants', () => {
  it('the no-op instrument implements every hook of Instrument and its hooks run', async () => {
    const instrument = noopInstrument();
    // Every hook the runtime dispatches, no more and no fewer.
    const source = readFileSync(join(root, 'runtime/src/hooks.ts'), 'utf8');
    const declared = [...source.matchAll(/^ {2}(\w+)\?\(/gm)].map((m) => m[1]);
    expect([...HOOK_NAMES].sort()).toEqual(declared.sort());
    ls.addInstrument(instrument);
    try {
      expect(await loopscopeWorkloads(ls).switch(SMALL.switch)).toBe(WORKLOADS.switch.checksum(SMALL.switch));
    } finally {
      ls.removeInstrument(instrument);
    }
    const { n, m } = SMALL.switch;
    // At least beforeTaskStep, afterTaskStep, suspending, resuming and taskScheduled per switch.
    expect(instrument.calls).toBeGreaterThan(5 * n * m);
  });

  describe('the build without hook sites', () => {
    let dir: string;
    let bundle: typeof ls;
    let hookSites: number;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'loopscope-bench-'));
      const built = await buildVariants({ outDir: dir });
      hookSites = built.hookSites;
      bundle = await import(pathToFileURL(built.nohooks).href);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs every workload to the same checksums', async () => {
      expect(hookSites).toBeGreaterThanOrEqual(10);
      const w = loopscopeWorkloads(bundle);
      for (const name of WORKLOAD_NAMES) {
        expect(await w[name as keyof typeof w](SMALL[name]), name).toBe(WORKLOADS[name].checksum(SMALL[name]));
      }
    });

    it('never calls an instrument: its hook sites are gone', async () => {
      const instrument = noopInstrument();
      bundle.addInstrument(instrument);
      try {
        await loopscopeWorkloads(bundle).switch(SMALL.switch);
      } finally {
        bundle.removeInstrument(instrument);
      }
      expect(instrument.calls).toBe(0);
    });
  });
});

describe('the memory benchmark', () => {
  beforeAll(() => {
    // memory.mjs measures the bundle users get, which `npm test` builds before the unit tests.
    if (!existsSync(join(root, 'runtime/dist/index.js'))) throw new Error('runtime/dist/index.js is missing: run node scripts/build.mjs first');
  });
  for (const peer of ['loopscope', 'native', 'effection']) {
    it(`${peer}: measures n suspended tasks`, () => {
      // memory.mjs fails unless all n tasks are suspended when it measures.
      // Effection's teardown grows faster than linearly: a smaller n keeps the test quick.
      const n = peer === 'effection' ? 300 : 2000;
      const out = execFileSync(process.execPath, ['--expose-gc', join(root, 'bench/memory.mjs'), JSON.stringify({ peer, n, bundle: join(root, 'runtime/dist/index.js') })], {
        encoding: 'utf8',
      });
      const r = JSON.parse(out);
      expect(r.n).toBe(n);
      expect(r.bytesPerTask).toBeGreaterThan(0);
    });
  }
  it.skipIf(!hasPython())('asyncio: measures n suspended tasks', () => {
    const r = JSON.parse(execFileSync('python3', [join(root, 'bench/workloads/asyncio_memory.py'), '2000'], { encoding: 'utf8' }));
    expect(r.bytesPerTask).toBeGreaterThan(0);
  });
});
