/**
 * cdk-nag's AwsSolutions pack finds nothing that is not acknowledged with a reason. cdk-nag 3 is a
 * policy-validation plugin (no Aspects, no NagSuppressions, no annotations): findings are the
 * pack's violations, acknowledgements are `Validations.of(construct).acknowledge(...)`.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synthesize } from './synth.ts';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize({ checks: true });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, neither error nor warning', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);

    expect(
      report.violations.map((violation) => ({
        rule: violation.ruleName,
        severity: violation.severity,
        at: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    ).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const reasons = synthesized.app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

    expect(reasons.length).toBeGreaterThan(0);
    for (const [id, reason] of reasons) {
      expect(reason.length, id).toBeGreaterThan(30);
    }
  });

  it('runs when the app synthesizes, and then passes', () => {
    expect(() => synthesized.app.synth({ force: true })).not.toThrow();
  });

  it('would catch a finding nobody acknowledged', () => {
    const stack = new Stack(new App(), 'NagCanary');
    new Bucket(stack, 'Unlogged');

    const rules = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.map((violation) => violation.ruleName);

    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('the app built in process', () => {
  it('uses the feature flags of cdk.json, as `cdk synth` does', () => {
    const { stack } = synthesized;

    expect(stack.node.tryGetContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy')).toBe(true);
    expect(stack.node.tryGetContext('@aws-cdk/aws-iam:minimizePolicies')).toBe(true);
  });
});
