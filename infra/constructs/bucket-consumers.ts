/**
 * The consumers of objects put into the evidence bucket (lib/workflow/catalogue.ts
 * `bucketConsumers`): one function each, invoked for every object created under its prefix — the
 * orders inbox (lib/orders/file-drop.ts).
 *
 * The bucket sends its events to EventBridge (set on the bucket itself) and a rule per consumer, on
 * this bucket and prefix, invokes the function. Not S3's direct Lambda notification: S3 checks that
 * destination when the configuration is written, so the bucket would wait for the function's invoke
 * permission while the function's grants name the bucket — a cycle CDK only breaks with a Python
 * custom-resource function under an AWS managed policy, which the stack's rules (Node.js 24
 * everywhere, no managed policies) refuse. EventBridge retries a failed delivery and Lambda retries a
 * failed run twice (the rule invokes asynchronously); what still fails lands in one dead-letter queue,
 * which an alarm watches, and the file is imported again by hand (runbook "Alarms").
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../lib/http/routes.ts';
import { pascalCase } from '../../lib/workflow/catalogue.ts';
import { FundflowFunction, type FundflowResources } from './fundflow-function.ts';

export interface BucketConsumersProps {
  /** The bucket whose objects they consume (the evidence bucket). */
  bucket: Bucket;
  /** The consumer catalogue (lib/workflow/catalogue.ts `bucketConsumers`). */
  consumers: Readonly<Record<string, FunctionSpec & { prefix: string }>>;
  resources: FundflowResources;
}

export class BucketConsumers extends Construct {
  readonly functions: Record<string, FundflowFunction> = {};
  /** An object event EventBridge could not deliver, or whose run still failed after Lambda's retries. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: BucketConsumersProps) {
    super(scope, id);
    const { bucket } = props;
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the bucket consumers; it needs none of its own.',
    });
    (bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    for (const [name, consumer] of Object.entries(props.consumers)) {
      const pascal = pascalCase(name);
      const fn = new FundflowFunction(this, pascal, { spec: consumer }).bindNeeds(
        consumer.needs,
        props.resources,
      );
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.deadLetters),
      });
      new Rule(this, `${pascal}Rule`, {
        description: consumer.description,
        eventPattern: {
          source: ['aws.s3'],
          detailType: ['Object Created'],
          detail: {
            bucket: { name: [bucket.bucketName] },
            object: { key: [{ prefix: consumer.prefix }] },
          },
        },
        targets: [
          new LambdaFunction(fn, {
            retryAttempts: 4,
            maxEventAge: Duration.hours(6),
            deadLetterQueue: this.deadLetters,
          }),
        ],
      });
      this.functions[name] = fn;
    }
  }
}
