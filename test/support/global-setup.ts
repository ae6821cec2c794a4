/**
 * For the whole test run: one DynamoDB Local (in memory) — each test file makes its own table
 * (test/support/dynamo.ts), so files never see each other's data — and the app synthesized once. The
 * state machines every file runs are the synthesized definitions (DESIGN.md decision 3), read from
 * this run's synthesis instead of each file synthesizing the same app again (about 7 s of wall and
 * 11 s of CPU per file on CI's machine, aws-cdk-lib's import included). A file that runs workflows of
 * its own (a test catalogue) still synthesizes those itself.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../lib/local/dynamodb-local.ts';
import {
  type SynthesizedStateMachine,
  synthesizedStateMachines,
} from '../../lib/local/synthesized-workflows.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    stateMachines: SynthesizedStateMachine[];
  }
}

/** Both projects that run the app (integration, e2e) share one synthesis when this module is shared. */
let synthesis: Promise<SynthesizedStateMachine[]> | undefined;

export default async function setup(project: TestProject) {
  synthesis ??= Promise.resolve().then(() => synthesizedStateMachines());
  const [dynamo, stateMachines] = await Promise.all([startDynamoDbLocal(), synthesis]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('stateMachines', stateMachines);
  return async () => {
    await dynamo.stop();
  };
}
