import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // Tests exercise the runtime's sources directly, the way `loopscope` resolves inside this repo.
    alias: { loopscope: fileURLToPath(new URL('./runtime/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/browser/**', 'node_modules/**'],
    testTimeout: 20000,
  },
});
