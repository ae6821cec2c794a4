import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../lib/http/routes.ts';
import { type JobSchedule, pascalCase } from '../../lib/workflow/catalogue.ts';
import { FundflowFunction, type FundflowResources } from './fundflow-function.ts';

export interface ScheduledJobsProps {
  /** The job catalogue (lib/workflow/catalogue.ts `scheduledJobs`). */
  jobs: Readonly<Record<string, FunctionSpec & JobSchedule>>;
  resources: FundflowResources;
}

/**
 * Every scheduled job of the catalogue: its function (granted what it needs), its EventBridge
 * Scheduler schedule — a cron in Asia/Shanghai or a rate — passing the occurrence's own time, and the
 * one dead-letter queue of them all (an alarm watches it).
 */
export class ScheduledJobs extends Construct {
  readonly functions: Record<string, FundflowFunction> = {};
  /**
   * A job occurrence that could not be delivered, or whose run still failed after Lambda's retries,
   * lands here; the job can then be run by hand for that day (runbook).
   */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the scheduled jobs; it needs none of its own.',
    });
    for (const [name, job] of Object.entries(props.jobs)) {
      const fn = new FundflowFunction(this, `${pascalCase(name)}Job`, { spec: job }).bindNeeds(
        job.needs,
        props.resources,
      );
      // Scheduler invokes asynchronously: Lambda retries a failed run twice, then gives it up here.
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.deadLetters),
      });
      new Schedule(this, `${pascalCase(name)}Schedule`, {
        description: job.description,
        schedule:
          'cron' in job
            ? // Business time: Asia/Shanghai, whatever the region (POLICY D15; the default would be UTC).
              ScheduleExpression.cron({ ...job.cron, timeZone: TimeZone.ASIA_SHANGHAI })
            : ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        // The occurrence's own time: a late or repeated delivery still works for its own day.
        target: new LambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.deadLetters,
        }),
      });
      Validations.of(stack).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          "EventBridge Scheduler invokes the job function by any version of that one function (CDK's target grant).",
      });
      this.functions[name] = fn;
    }
  }
}
