import { defineConfig } from 'vitest/config';

// The end-to-end suite: a real VS Code (code-server) in Chromium, one test file at a time, each file
// with its own server. Setup packages the .vsix and installs what is missing (see test/e2e/harness/).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/harness/globalSetup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
    hookTimeout: 180_000,
    testTimeout: 180_000,
    teardownTimeout: 60_000,
    // On CI a failed test gets one more try: a real browser driving a real VS Code on a loaded 2-core
    // machine has rare timing failures of its own. A retried test is marked "(retry x1)" in the
    // output, and its first failure prints the extension's log (see harness/useVSCode.ts).
    retry: process.env.CI ? 1 : 0,
  },
});
