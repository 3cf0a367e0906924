import { defineConfig } from 'vitest/config';

// Three kinds of test, named by folder:
//   unit/         pure and fast, no root, no network
//   integration/  real daemons and disk tools (network namespaces, image files); some need root
//   browser/      the built site in Chromium, served over HTTP on loopback
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Lab tests share the machine's namespaces and daemons: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
