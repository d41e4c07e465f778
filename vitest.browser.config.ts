import { defineConfig } from 'vitest/config';

/**
 * Browser tests (`npm run test:browser`): each file starts one production daemon and one
 * headless Debian Chromium; files run one after another to stay light on a small machine.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    // A page answers in its own time on a busy machine: wait for what a person would see,
    // never a fixed pause.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
