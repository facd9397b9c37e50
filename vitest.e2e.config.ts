import { defineConfig } from 'vitest/config';

// Browser end-to-end runs (`npm run test:e2e`): the real bot, the Agents Playground and Debian's
// Chromium. Kept out of `npm test`, which excludes test/e2e.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
