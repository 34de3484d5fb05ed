import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // After every file: no credential the tests handed out appears in any log line.
    setupFiles: ['test/support/no-secrets-in-logs.ts'],
    // Once before every file: the web app that test/web/ serves.
    globalSetup: ['test/support/build-web.global.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Argon2 and real HTTP servers are CPU-bound; two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
