/**
 * The stack as the infra tests see it: built by the same `buildApp` as `cdk synth` (with cdk.json's
 * context), bundling skipped (FACTS.md) — `npx cdk synth` bundles for real.
 */
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildApp } from '../../infra/app.ts';
import type { FundflowStack } from '../../infra/fundflow-stack.ts';
import { type FunctionSpec, functions } from '../../lib/http/routes.ts';
import { bucketConsumers, scheduledJobs, streamConsumers } from '../../lib/workflow/catalogue.ts';

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
export function synthesize(
  options: BuildOptions & { context?: Record<string, unknown> } = { checks: false },
): Synthesized {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...options.context },
    builtinCloudFormationValidation: options.checks,
  });
  const { stack } = buildApp(app, options);
  return { app, stack, template: Template.fromStack(stack) };
}

/** A China-region deployment as the runbook gives it: SMTP for mail, the company's OIDC provider. */
export const CHINA_CONTEXT = {
  'fundflow:region': 'cn-north-1',
  'fundflow:account': '123456789012',
  'fundflow:mailer': 'smtp',
  'fundflow:identity': 'oidc',
  'fundflow:oidcIssuer': 'https://login.lianshang.example/realms/staff',
  'fundflow:oidcClientId': 'fundflow',
  'fundflow:publicBaseUrl': 'https://fundflow.lianshang.example',
  'fundflow:mailFrom': 'fundflow@lianshang.example',
};

/** The user pool, its app client and domain of a stack with Cognito sign-in (the default). */
export function cognitoOf(stack: FundflowStack) {
  const { userPool, client, domain } = stack.identity;
  if (!userPool || !client || !domain) throw new Error('this stack signs in through an OIDC provider');
  return { userPool, client, domain };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export interface DeployedFunction {
  /** `http.<name>`, `workflow.<machine>.<task>`, `job.<name>`, `stream.<name>` or `bucket.<name>`. */
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
    ...Object.values(stack.workflows).flatMap((workflow) =>
      pair(`workflow.${workflow.name}`, workflow.spec.tasks, workflow.functions),
    ),
    ...pair('job', scheduledJobs, stack.jobs.functions),
    ...pair('stream', streamConsumers, stack.stream.functions),
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
