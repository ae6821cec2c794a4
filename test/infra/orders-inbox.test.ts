/**
 * The orders inbox in AWS (lib/orders/file-drop.ts): an object created under the inbox prefix of the
 * evidence bucket invokes the inbox function, which may read and write only under evidence/.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_INBOX_PREFIX } from '../../lib/orders/file-drop.ts';
import { bucketConsumers } from '../../lib/workflow/catalogue.ts';
import { actionsOf, logicalIdOf, type Synthesized, statementsOf, synthesize } from './synth.ts';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize();
});

describe('the orders inbox', () => {
  it('has the bucket send its object events to EventBridge', () => {
    synthesized.template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it('invokes the inbox function for objects created under the inbox prefix of the evidence bucket only', () => {
    const { stack, template } = synthesized;
    const fnId = logicalIdOf(stack, stack.bucketConsumers.functions.ordersInbox as never);
    const bucketId = logicalIdOf(stack, stack.data.evidenceBucket);
    expect(bucketConsumers.ordersInbox.prefix).toBe(ORDERS_INBOX_PREFIX);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: bucketId }] },
          object: { key: [{ prefix: ORDERS_INBOX_PREFIX }] },
        },
      },
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })]),
    });
  });

  it('lets the inbox function read the dropped file and write its result, under evidence/ only', () => {
    const fn = synthesized.stack.bucketConsumers.functions.ordersInbox as never;
    expect(actionsOf(synthesized, fn)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject']));
    const s3 = statementsOf(synthesized, fn).filter((statement) =>
      JSON.stringify(statement.Action).includes('s3:GetObject'),
    );
    expect(JSON.stringify(s3)).toContain('/evidence/*');
  });

  it('sends an event it could not deliver, or a run that still failed, to a dead-letter queue an alarm watches', () => {
    const { stack, template } = synthesized;
    const fnId = logicalIdOf(stack, stack.bucketConsumers.functions.ordersInbox as never);
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(stack, stack.bucketConsumers.deadLetters), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: Match.arrayWith([
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          DeadLetterConfig: { Arn: queueArn },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Dimensions).includes(
        logicalIdOf(stack, stack.bucketConsumers.deadLetters),
      ),
    );
    expect(alarms.map((alarm) => alarm.Properties.MetricName)).toEqual([
      'ApproximateNumberOfMessagesVisible',
    ]);
  });
});
