import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // PGlite instances are ~200 MB each and the machine has 2 cores: keep worker count modest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits up to 1 s by default; a browser page under a loaded CI machine can take longer
    // to show what the API answered (a poll returns as soon as it passes)
    expect: { poll: { timeout: 10_000 } },
  },
});
