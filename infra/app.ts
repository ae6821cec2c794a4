import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FundflowStack } from './fundflow-stack.ts';

/**
 * The app: the stack plus cdk-nag's AwsSolutions pack, so `cdk synth` fails on an unexplained
 * finding. The local runtime builds it without the checks, only to read the state machines.
 */
export function buildApp(app = new App(), options = { checks: true }): { app: App; stack: FundflowStack } {
  const stack = new FundflowStack(app, 'Fundflow', {
    description: 'fundflow: payment vouchers, approvals and payment runs',
  });
  if (options.checks) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
