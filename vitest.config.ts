import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { RUN_TMPDIR_ENV } from './test/support/temp-folders.ts';

/** One temporary folder for the whole run, removed when it ends (test/support/temp-folders.ts). */
process.env[RUN_TMPDIR_ENV] ??= mkdtempSync(path.join(tmpdir(), 'fundflow-test-run-'));
const runTmpdir = process.env[RUN_TMPDIR_ENV];

export default defineConfig({
  test: {
    // Two files at a time on the 2-core machine CI runs on: a file's time is spent as much in
    // DynamoDB Local's Java process and Chromium as in its own worker, so one file at a time left a
    // core idle.
    maxWorkers: 2,
    // Business rules run in Asia/Shanghai whatever the machine's zone (POLICY D15); the suite runs
    // under a zone far from it so a rule that leans on the machine's zone fails here. Every
    // temporary folder a test makes lands in the run's own (removed at its end).
    env: { TZ: 'America/Los_Angeles', TMPDIR: runTmpdir },
    globalSetup: ['test/support/temp-folders.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          // The synthesis (with cdk-nag's checks) happens in beforeAll: on a loaded machine it takes
          // longer than the default 10 s.
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          // One DynamoDB Local for every runtime the files start (test/support/runtime.ts).
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
