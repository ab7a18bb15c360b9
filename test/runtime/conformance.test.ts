/**
 * The runtime against CPython: every case in conformance/cases*.ts runs under loopscope and must log
 * exactly what its twin in conformance/cases*.py logged under CPython 3.13 (golden.json, made by
 * `node scripts/conformance-golden.mjs`). Same events, same order, same outcomes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runCase, type Case } from './conformance/harness';
import { coreCases } from './conformance/cases';
import { combinatorCases } from './conformance/cases_combinators';
import { primitiveCases } from './conformance/cases_primitives';

const golden: { python: string; cases: Record<string, string[]> } = JSON.parse(
  readFileSync(join(__dirname, 'conformance', 'golden.json'), 'utf8'),
);

const suites: Record<string, Record<string, Case>> = { core: coreCases, combinators: combinatorCases, primitives: primitiveCases };

for (const [suite, cases] of Object.entries(suites)) {
  describe(`conformance with CPython ${golden.python}: ${suite}`, () => {
    for (const [name, fn] of Object.entries(cases)) {
      it(name, async () => {
        const expected = golden.cases[name];
        expect(expected, `no CPython log for ${name}: run node scripts/conformance-golden.mjs`).toBeDefined();
        expect(await runCase(fn)).toEqual(expected);
      });
    }
  });
}

describe('the conformance suite itself', () => {
  it('has a TypeScript twin for every CPython case, and enough of them', () => {
    const ts = new Set(Object.values(suites).flatMap((c) => Object.keys(c)));
    expect(Object.keys(golden.cases).filter((n) => !ts.has(n))).toEqual([]);
    expect(ts.size).toBeGreaterThanOrEqual(80);
  });
});
