/**
 * The approval state machine as CDK synthesizes it (DESIGN.md decision 3): the app is synthesized in
 * process (bundling skipped) and the definition's `Fn::Join` is resolved, with local placeholders for
 * the function ARNs (the local runtime overrides every Task state by name anyway).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app.ts';
import type { AslDefinition } from './workflow-engine.ts';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'local',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

function resolve(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part && typeof part === 'object') {
    const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (token.Ref) return PSEUDO[token.Ref] ?? `local-${token.Ref}`;
    if (token['Fn::GetAtt']) return `arn:aws:lambda:local:000000000000:function:${token['Fn::GetAtt'][0]}`;
  }
  throw new Error(`cannot resolve ${JSON.stringify(part)} in the state machine definition`);
}

export function synthesizedApprovalDefinition(): AslDefinition {
  const outdir = mkdtempSync(path.join(tmpdir(), 'fundflow-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const { stack } = buildApp(app, { checks: false });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: { DefinitionString: unknown } }>;
    };
    const machine = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
    );
    if (!machine) throw new Error('the app has no state machine');
    const definition = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
    const text =
      typeof definition === 'string'
        ? definition
        : definition['Fn::Join'][1].map(resolve).join(definition['Fn::Join'][0]);
    return JSON.parse(text) as AslDefinition;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
