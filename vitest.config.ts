import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One module graph for every file of the worker (no file mocks modules or
    // leaves globals changed): about a minute less of the suite's module loading.
    isolate: false,
    // Two files at a time: many wait on the ClickHouse shards, the browser or
    // child processes rather than on this process's core.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
