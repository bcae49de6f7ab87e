import { defineConfig } from 'vitest/config';

// Five kinds of test, each its own project so `vitest run --project <name>` picks one:
// unit (SDK mocked), conformance (local Step Functions vs AWS semantics), infra (CDK
// assertions), integration (the whole local cloud on real engines, and test/e2e: a real
// browser on it), chaos (faults injected into clouds of its own, `npm run test:chaos`). The browser tests share the integration project because the local cloud
// runs its functions in this process: two clouds at once would share one process.env. For the
// same reason `npm test` runs the integration project in a vitest run of its own: the cloud's
// variables must not leak into the unit tests' workers.
export default defineConfig({
  test: {
    typecheck: { enabled: false },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Faults on the local cloud (docs/reliability.md): each file starts its own cloud, so
          // files run one after another (one cloud per process: it sets process.env).
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/chaos/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
