import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    // Builds dist/ first when it is older than src/ (the CLI tests run bin/fleet-tui.js).
    globalSetup: ['test/helpers/build-dist.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real git and real tmux: keep parallelism modest on 2-core machines.
    maxWorkers: 2,
  },
});
