/**
 * Test runner configuration. `npm test` builds first, then runs the files
 * named `*.test.ts` under test/, then the conformance suite
 * (scripts/conformance.mjs).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Unit tests are fast; the build and browser tests pass their own,
    // longer timeouts (a cold tsup build or Chromium start on 2 cores).
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Child processes isolate tests that spawn builds, CLIs and browsers;
    // two workers match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
