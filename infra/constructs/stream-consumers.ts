import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../lib/http/routes.ts';
import { pascalCase } from '../../lib/workflow/catalogue.ts';
import { FundflowFunction, type FundflowResources } from './fundflow-function.ts';

export interface StreamConsumersProps {
  table: ITableV2;
  /** The consumer catalogue (lib/workflow/catalogue.ts `streamConsumers`). */
  consumers: Readonly<
    Record<
      string,
      FunctionSpec & { filter: { eventName: 'INSERT' | 'MODIFY' | 'REMOVE'; partitionKey: string } }
    >
  >;
  resources: FundflowResources;
}

/**
 * The consumers of the table's stream: one event source mapping each, filtered to the records it
 * handles, so no other write invokes it. A failed record is reported on its own
 * (ReportBatchItemFailures; a batch that throws is bisected), retried a few times, then reported to a
 * queue an alarm watches and the shard moves on: the stream must not stall behind one item. Nothing is
 * lost by giving up — an owed delivery stays in the table until delivered, and the sweep (every
 * minute) delivers it.
 */
export class StreamConsumers extends Construct {
  readonly functions: Record<string, FundflowFunction> = {};
  /** Where a stream batch goes that still failed after its retries. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the table stream consumers; it needs none of its own.',
    });
    for (const [name, consumer] of Object.entries(props.consumers)) {
      const fn = new FundflowFunction(this, `${pascalCase(name)}Function`, { spec: consumer }).bindNeeds(
        consumer.needs,
        props.resources,
      );
      fn.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: 10,
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: 3,
          maxRecordAge: Duration.hours(1),
          onFailure: new SqsDlq(this.failures),
          filters: [
            FilterCriteria.filter({
              eventName: FilterRule.isEqual(consumer.filter.eventName),
              dynamodb: { Keys: { pk: { S: FilterRule.isEqual(consumer.filter.partitionKey) } } },
            }),
          ],
        }),
      );
      this.functions[name] = fn;
    }
  }
}
