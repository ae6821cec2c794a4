/**
 * The test run's temporary folders: every test worker's os.tmpdir() is one folder made for this run
 * (vitest.config.ts sets TMPDIR), so what the tests make there — data folders of local runtimes,
 * evidence folders, CDK's cdk.out of each synthesis, Chromium's profiles, bundles — goes with it
 * when the run ends, instead of a hundred folders left behind per run.
 */
import { rmSync } from 'node:fs';

export const RUN_TMPDIR_ENV = 'FUNDFLOW_TEST_TMPDIR';

export default function setup() {
  return () => {
    const folder = process.env[RUN_TMPDIR_ENV];
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
}
