/**
 * The state machines as CDK synthesizes them (DESIGN.md decision 3): the app is synthesized in process
 * (bundling skipped) and EVERY state machine found is read from the template — its definition, with
 * the `Fn::Join` resolved, and which handler module each Task state runs, from the template itself:
 * the state's Lambda function (its `Resource`, or its `Parameters.FunctionName` for an integration
 * pattern) is a function resource whose metadata names its entry module, and a task waits for a
 * callback when its `Resource` ends in `.waitForTaskToken` (a Map state's Task states included).
 * Nothing here restates a construct's wiring.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app.ts';
import { ENTRY_METADATA } from '../../infra/constructs/fundflow-function.ts';
import { WORKFLOW_METADATA } from '../../infra/constructs/state-machine.ts';
import type { Workflows } from '../../infra/workflows.ts';
import { type AslDefinition, everyState } from './workflow-engine.ts';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'local',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A function's ARN in the resolved definition names its logical id (the template's resource). */
const FUNCTION_ARN = /^arn:aws:lambda:local:000000000000:function:([A-Za-z0-9]+)$/;

function resolve(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part && typeof part === 'object') {
    const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (token.Ref) return PSEUDO[token.Ref] ?? `local-${token.Ref}`;
    if (token['Fn::GetAtt']) return `arn:aws:lambda:local:000000000000:function:${token['Fn::GetAtt'][0]}`;
  }
  throw new Error(`cannot resolve ${JSON.stringify(part)} in a state machine definition`);
}

interface Resource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties: { DefinitionString?: unknown };
}

/** What a Task state runs: the handler module of its function, and whether it waits for a token. */
export interface SynthesizedTask {
  entry: string;
  callback: boolean;
}

export interface SynthesizedStateMachine {
  /** Its catalogue name. */
  name: string;
  definition: AslDefinition;
  /** Every Task state, by state name. */
  tasks: Record<string, SynthesizedTask>;
}

/** Every state machine of the app (of `workflows`, when given: the catalogue's by default). */
export function synthesizedStateMachines(workflows?: Workflows): SynthesizedStateMachine[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'fundflow-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const { stack } = buildApp(app, { checks: false, ...(workflows ? { workflows } : {}) });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, Resource>;
    };
    const machines = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    if (machines.length === 0) throw new Error('the app has no state machine');
    return machines.map(([logicalId, resource]) => {
      const name = resource.Metadata?.[WORKFLOW_METADATA];
      if (typeof name !== 'string') throw new Error(`state machine ${logicalId} has no ${WORKFLOW_METADATA}`);
      const definition = readDefinition(resource.Properties.DefinitionString);
      return { name, definition, tasks: tasksOf(name, definition, template.Resources) };
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function readDefinition(definition: unknown): AslDefinition {
  const value = definition as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof value === 'string' ? value : value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0]);
  return JSON.parse(text) as AslDefinition;
}

function tasksOf(
  machine: string,
  definition: AslDefinition,
  resources: Record<string, Resource>,
): Record<string, SynthesizedTask> {
  const tasks: Record<string, SynthesizedTask> = {};
  // A Map state's iteration runs its Task states too (the reconciliation's partitions).
  for (const [stateName, state] of everyState(definition)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    // `payloadResponseOnly`: the function itself; an integration (`arn:…:states:::lambda:invoke…`)
    // names it in its parameters.
    const functionArn = FUNCTION_ARN.test(resource)
      ? resource
      : String((state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName);
    const logicalId = FUNCTION_ARN.exec(functionArn)?.[1];
    const entry = logicalId ? resources[logicalId]?.Metadata?.[ENTRY_METADATA] : undefined;
    if (typeof entry !== 'string') {
      throw new Error(
        `${machine}: the task state ${stateName} runs no function of the app with an entry module`,
      );
    }
    tasks[stateName] = { entry, callback: resource.endsWith('.waitForTaskToken') };
  }
  return tasks;
}
