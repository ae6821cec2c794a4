/**
 * The stack as the infra tests see it: built by the same `buildApp` as `cdk synth` (with cdk.json's
 * context), bundling skipped (FACTS.md) — `npx cdk synth` bundles for real.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../infra/app.ts';
import type { FundflowStack } from '../../infra/fundflow-stack.ts';
import { type FunctionSpec, functions } from '../../lib/http/routes.ts';
import {
  bucketConsumers,
  scheduledJobs,
  streamConsumers,
  workflowFunctions,
} from '../../lib/workflow/approval-states.ts';

export interface Synthesized {
  app: App;
  stack: FundflowStack;
  template: Template;
}

/**
 * `checks` validates as `cdk synth` does (cdk-nag and CDK's built-in CloudFormation validation).
 * Validation does not change the template and costs about two seconds, so only the cdk-nag tests
 * ask for it.
 */
export function synthesize(options = { checks: false }): Synthesized {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: options.checks,
  });
  const { stack } = buildApp(app, options);
  return { app, stack, template: Template.fromStack(stack) };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export interface DeployedFunction {
  /** `http.<name>`, `workflow.<name>`, `job.<name>`, `stream.<name>` or `bucket.<name>`. */
  name: string;
  spec: FunctionSpec;
  fn: IFunction;
}

/** Every function of the stack with the spec it was built from. */
export function allFunctions(stack: FundflowStack): DeployedFunction[] {
  const pair = (kind: string, specs: Record<string, FunctionSpec>, built: Record<string, IFunction>) =>
    Object.entries(specs).map(([name, spec]) => {
      const fn = built[name];
      if (!fn) throw new Error(`no function was built for ${kind}.${name}`);
      return { name: `${kind}.${name}`, spec, fn };
    });
  return [
    ...pair('http', functions, stack.http.functions),
    ...pair('workflow', workflowFunctions, stack.approval.functions),
    ...pair('job', scheduledJobs, stack.approval.jobs),
    ...pair('stream', streamConsumers, stack.approval.streamConsumers),
    ...pair('bucket', bucketConsumers, stack.bucketConsumers.functions),
  ];
}

export function logicalIdOf(stack: FundflowStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Every IAM statement attached to a role (its inline policies). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

export function statementsOf({ stack, template }: Synthesized, fn: IFunction): Statement[] {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return statementsOfRole(template, logicalIdOf(stack, fn.role));
}

export const actionsIn = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Every allowed IAM action of a function's role. */
export function actionsOf(synthesized: Synthesized, fn: IFunction): string[] {
  return statementsOf(synthesized, fn)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap(actionsIn);
}

/** The synthesized AWS::Lambda::Function resource of a function. */
export function functionResource(
  { stack, template }: Synthesized,
  fn: IFunction,
): { Properties: Record<string, unknown> & { Environment?: { Variables?: Record<string, unknown> } } } {
  const resource = template.toJSON().Resources[logicalIdOf(stack, fn)];
  if (!resource) throw new Error(`${fn.node.path} is not in the template`);
  return resource;
}

export function environmentOf(synthesized: Synthesized, fn: IFunction): Record<string, unknown> {
  return functionResource(synthesized, fn).Properties.Environment?.Variables ?? {};
}
