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
    // No retries: the tests of a file share one session and build on each other (a breakpoint
    // toggled, a session started), so a second try starts from the first try's leftovers.
  },
});
