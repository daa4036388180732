import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // The core starts the built pipeline worker and the CLI tests run the built CLI: build first.
    globalSetup: ['scripts/build-for-tests.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (sshd, s3rver) and share PostgreSQL/MariaDB.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
