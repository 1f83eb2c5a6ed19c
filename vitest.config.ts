import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prerequisites checked and test tools fetched once, before any test file (test/tools/).
    globalSetup: ['test/setup/global.ts'],
    // The pinned uv first on PATH: Python projects default to --pm uv in every test (test/setup/path.ts).
    setupFiles: ['test/setup/path.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
