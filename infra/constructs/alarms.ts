import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalCase } from '../../lib/workflow/catalogue.ts';
import type { FundflowStateMachine } from './state-machine.ts';

export interface FundflowAlarmsProps {
  /** Every state machine of the app. */
  workflows: readonly FundflowStateMachine[];
  /** The scheduled jobs' dead-letter queue. */
  jobDeadLetters: Queue;
  /** Where the table stream's consumers give up a batch. */
  streamFailures: Queue;
  /** Object events of the evidence bucket its consumers (the orders inbox) could not take. */
  bucketConsumerDeadLetters: Queue;
  /** An existing SNS topic the operators follow (context `fundflow:alarmTopicArn`); none: console only. */
  alarmTopicArn?: string | undefined;
}

/**
 * What the platform team is woken for (runbook "Alarms"): an execution of any state machine that ended
 * without reaching its end — failed after its retries, timed out or aborted, so nobody is waiting on it
 * any more (for the voucher workflow: a voucher neither Closed nor Rejected) — a scheduled job
 * occurrence that could not run (its dead-letter queue; the workflow outbox's sweep among them), a
 * batch of the table's stream its consumer gave up on, and a dropped orders file that was not imported.
 */
export class FundflowAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: FundflowAlarmsProps) {
    super(scope, id);
    const { jobDeadLetters, streamFailures, bucketConsumerDeadLetters } = props;
    const action: IAlarmAction | undefined = props.alarmTopicArn
      ? new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn))
      : undefined;
    const alarm = (name: string, description: string, metric: Metric) => {
      const created = new Alarm(this, name, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (action) created.addAlarmAction(action);
      this.alarms.push(created);
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    for (const { name, spec, stateMachine } of props.workflows) {
      // Named by the state machine: VoucherWorkflowFailed, …
      const prefix = pascalCase(name);
      const which = `A ${name} workflow execution (${spec.executions})`;
      alarm(
        `${prefix}WorkflowFailed`,
        `${which} failed after its retries: find it by name, fix the cause, redrive it within 14 days.`,
        stateMachine.metricFailed(fiveMinutes),
      );
      alarm(
        `${prefix}WorkflowTimedOut`,
        `${which} reached Step Functions’ one-year limit (for a voucher: an invoice never recorded; it stays PAID and on finance’s missing-invoice list).`,
        stateMachine.metricTimedOut(fiveMinutes),
      );
      alarm(
        `${prefix}WorkflowAborted`,
        `${which} was stopped by hand: check that what it was for is where it should be.`,
        stateMachine.metricAborted(fiveMinutes),
      );
    }
    alarm(
      'ScheduledJobFailed',
      'A scheduled job occurrence could not run (dead-letter queue): read the message for the job and day, fix the cause, run the job by hand for that day.',
      jobDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    );
    alarm(
      'OwedDeliveryFailed',
      'The workflow outbox’s dispatcher gave up on a stream batch after its retries: its items stay owed in the table (pk OUTBOX, attempts and lastError on each) and the sweep retries them every minute; find why they fail, fix it, then delete the message.',
      streamFailures.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    );
    alarm(
      'DroppedFileFailed',
      'A file dropped into the orders inbox was not imported (its event could not be delivered, or the import still failed after its retries): the message names the object; fix the cause, then import the file by hand (POST /api/orders/import) and delete the message.',
      bucketConsumerDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    );
  }
}
