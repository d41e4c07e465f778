import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The web app's pure modules are unit-tested beside their code (web/src/**/*.test.ts).
    alias: { '@server': fileURLToPath(new URL('./src', import.meta.url)), '@': fileURLToPath(new URL('./web/src', import.meta.url)) },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time even on two cores: most of a file's time is spent waiting on sockets
    // and timers (the emulator, the daemon), so the second worker fills the gaps.
    maxWorkers: 2,
  },
});
