import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prerequisites checked and test tools fetched once, before any test file (test/tools/).
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
