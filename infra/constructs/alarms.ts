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
import { Construct } from 'constructs';
import type { ApprovalWorkflow } from './approval-workflow.ts';

export interface FundflowAlarmsProps {
  approval: ApprovalWorkflow;
  /** An existing SNS topic the operators follow (context `fundflow:alarmTopicArn`); none: console only. */
  alarmTopicArn?: string | undefined;
}

/**
 * What the platform team is woken for (runbook "Alarms"): a voucher's workflow that ended without
 * reaching Closed or Rejected — failed after its retries, timed out or aborted, so nobody is waiting
 * on it any more — a scheduled job occurrence that could not run (its dead-letter queue; the
 * workflow outbox's sweep among them), and a batch of the table's stream its consumer gave up on.
 */
export class FundflowAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: FundflowAlarmsProps) {
    super(scope, id);
    const { stateMachine, jobDeadLetters, streamFailures } = props.approval;
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
    alarm(
      'WorkflowFailed',
      'A voucher workflow failed after its retries: find it by name (<voucherId>-v<version>), fix the cause, redrive it within 14 days.',
      stateMachine.metricFailed(fiveMinutes),
    );
    alarm(
      'WorkflowTimedOut',
      'A voucher workflow reached Step Functions’ one-year limit (an invoice never recorded): the voucher stays PAID and on finance’s missing-invoice list.',
      stateMachine.metricTimedOut(fiveMinutes),
    );
    alarm(
      'WorkflowAborted',
      'A voucher workflow was stopped by hand: check that its voucher is where it should be.',
      stateMachine.metricAborted(fiveMinutes),
    );
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
  }
}
