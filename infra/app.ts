import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PROJECT_ROOT } from './constructs/fundflow-function.ts';
import { FundflowStack } from './fundflow-stack.ts';
import type { Workflows } from './workflows.ts';

/**
 * The context of cdk.json (feature flags above all). The CLI passes it to the app; an app built in
 * process (the infra tests, the local runtime) gets it here, so all three synthesize the same thing.
 */
function applyCdkJsonContext(app: App): void {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  for (const [key, value] of Object.entries(cdkJson.context ?? {})) {
    if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, value);
  }
}

export interface BuildOptions {
  /** cdk-nag's checks (on for `cdk synth`). */
  checks: boolean;
  /** The state machines (default: the catalogue's, infra/workflows.ts). */
  workflows?: Workflows;
}

/**
 * The app: the stack, plus cdk-nag's AwsSolutions pack as a policy-validation plugin (cdk-nag 3), so
 * synthesis fails on any finding that is not acknowledged with a reason. The local runtime builds it
 * without the checks, only to read the state machines.
 */
export function buildApp(
  app = new App(),
  options: BuildOptions = { checks: true },
): { app: App; stack: FundflowStack } {
  applyCdkJsonContext(app);
  // `-c fundflow:region=cn-north-1` (and `fundflow:account`): a stack for that region — its
  // partition known at synth (aws-cn), so region-specific checks (no SES, no user pool) apply.
  const region = app.node.tryGetContext('fundflow:region');
  const account = app.node.tryGetContext('fundflow:account');
  const stack = new FundflowStack(app, 'Fundflow', {
    description: 'fundflow: payment vouchers, approvals and payment runs',
    ...(options.workflows ? { workflows: options.workflows } : {}),
    ...(typeof region === 'string'
      ? { env: { region, ...(typeof account === 'string' ? { account } : {}) } }
      : {}),
  });
  if (options.checks) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildApp().app.synth();
