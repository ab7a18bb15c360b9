// The browser test files' harness lifecycle, kept apart from browser.ts: this file imports vitest,
// which the benchmark and the doc-image script (plain tsx, outside vitest) cannot load.
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Harness } from './browser';

/**
 * A test file's harness lifecycle: the server and browser started once for the file, and after each
 * test the checks every page must pass (nothing blocked by the CSP, no uncaught error) before its
 * context is closed. `page` gives the page the test opened.
 */
export function useHarness(h: Harness, page: () => Page): void {
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  afterEach(async () => {
    const p = page();
    const { csp, errors } = await p.evaluate(() => ({ csp: window.__harness.cspViolations, errors: window.__harness.errors }));
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await p.context().close();
  });
}

