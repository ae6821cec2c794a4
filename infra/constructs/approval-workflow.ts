import { type CfnElement, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke as SchedulerLambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { INVOICE_REMINDER_DAYS } from '../../lib/domain/supplier-invoice.ts';
import {
  APPROVAL_WITHDRAWN_ERROR,
  approvalStates,
  type HumanStep,
  PAYMENT_FAILED_ERROR,
  REJECTED_ERROR,
  type StreamConsumerName,
  scheduledJobs,
  streamConsumers,
  type WorkflowFunctionName,
  workflowFunctions,
} from '../../lib/workflow/approval-states.ts';
import { FundflowFunction, type FundflowResources, stateMachineArnByName } from './fundflow-function.ts';

export interface ApprovalWorkflowProps {
  table: ITableV2;
  evidenceBucket: IBucket;
  mailFrom: string;
  smtpCredentials?: ISecret | undefined;
  publicBaseUrl: string;
}

const ref = { voucherId: JsonPath.stringAt('$.voucherId'), version: JsonPath.numberAt('$.version') };

/** How often a wait for a person re-checks the voucher: a lost answer heals within a day. */
const RECHECK_SECONDS = Duration.days(1).toSeconds();

/**
 * Retries of every task beyond CDK's default (Lambda service errors): throttling (every voucher due a
 * day wakes at 00:00 Shanghai at once) and any failure of the handler itself — a DynamoDB conflict, an
 * SES throttle, a sandbox timeout; every handler is idempotent. A person's answer (rejected, payment
 * failed) is not a failure to retry: it goes to the Catch that handles it.
 */
function resilient<T extends LambdaInvoke>(task: T): T {
  task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
  });
  task.addRetry({ errors: [REJECTED_ERROR, PAYMENT_FAILED_ERROR, APPROVAL_WITHDRAWN_ERROR], maxAttempts: 0 });
  task.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 4,
    backoffRate: 2,
  });
  return task;
}

/**
 * The approval chain (POLICY 2.2; DESIGN.md decisions 3–5) as one Standard state machine. Each human
 * step is a `.waitForTaskToken` task whose timeout is one working day (planned by a task, since the
 * calendar is a business rule); a timeout reminds — then escalates — and waits again. The CEO step is
 * a Choice on the route recorded on the voucher. The local runtime runs this very definition.
 */
export class ApprovalWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly linkKey: Secret;
  readonly functions: Record<WorkflowFunctionName, FundflowFunction>;
  readonly jobs = {} as Record<keyof typeof scheduledJobs, FundflowFunction>;
  readonly jobDeadLetters: Queue;
  /** The consumers of the table's stream: the workflow outbox's dispatcher. */
  readonly streamConsumers = {} as Record<StreamConsumerName, FundflowFunction>;
  /** Where a stream batch goes that still failed after its retries (an alarm watches it). */
  readonly streamFailures: Queue;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-Approval`;
    this.linkKey = new Secret(this, 'LinkKey', {
      description: 'HMAC key of the approval links in emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link key invalidates every approval link in people\u2019s mailboxes; it is rotated by hand (runbook) when needed.',
    });

    // What this construct's own functions may be granted: the state machine by name, since it
    // refers to them already.
    const resources: FundflowResources = {
      ...props,
      linkKey: this.linkKey,
      approvalStateMachineArn: stateMachineArnByName(this, stateMachineName),
    };
    const built = {} as Record<WorkflowFunctionName, FundflowFunction>;
    for (const [name, spec] of Object.entries(workflowFunctions) as [
      WorkflowFunctionName,
      (typeof workflowFunctions)[WorkflowFunctionName],
    ][]) {
      built[name] = new FundflowFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
        spec,
      }).bindNeeds(spec.needs, resources);
    }
    this.functions = built;

    const invoke = (
      stateName: string,
      fn: FundflowFunction,
      payload: Record<string, unknown>,
      resultPath: string | null,
    ) =>
      resilient(
        new LambdaInvoke(this, stateName, {
          lambdaFunction: fn,
          payload: TaskInput.fromObject(payload),
          payloadResponseOnly: true,
          resultPath: resultPath ?? JsonPath.DISCARD,
          taskTimeout: Timeout.duration(Duration.seconds(60)),
        }),
      );

    const rejected = new Succeed(this, approvalStates.rejected);
    const recordRejection = invoke(
      approvalStates.recordRejection,
      built.recordRejection,
      { ...ref, step: JsonPath.stringAt('$.reminder.step') },
      null,
    ).next(rejected);
    const payment = this.paymentAndInvoice(built, invoke, rejected);
    const humanStep = (step: HumanStep, resultKey: string) => {
      const names = approvalStates.step(step);
      const begin = new Pass(this, names.begin, {
        parameters: { step, attempt: 0 },
        resultPath: '$.reminder',
      });
      const plan = invoke(
        names.plan,
        built.planReminder,
        {
          ...ref,
          step: JsonPath.stringAt('$.reminder.step'),
          attempt: JsonPath.numberAt('$.reminder.attempt'),
        },
        '$.reminder',
      );
      const request = this.waitFor(
        names.request,
        built.requestApproval,
        { step: JsonPath.stringAt('$.reminder.step'), attempt: JsonPath.numberAt('$.reminder.attempt') },
        { path: '$.reminder.timeoutSeconds' },
        `$.decisions.${resultKey}`,
      );
      const remind = new Pass(this, names.remind, {
        parameters: {
          step: JsonPath.stringAt('$.reminder.step'),
          attempt: JsonPath.mathAdd(JsonPath.numberAt('$.reminder.attempt'), 1),
        },
        resultPath: '$.reminder',
      });
      request.addCatch(remind, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
      request.addCatch(recordRejection, { errors: [REJECTED_ERROR], resultPath: '$.rejection' });
      remind.next(plan);
      begin.next(plan).next(request);
      return { begin, request };
    };

    const head = humanStep('HEAD_OF_MERCHANDISING', 'headOfMerchandising');
    const ceo = humanStep('CEO', 'ceo');
    const finance = humanStep('FINANCE_REVIEW', 'financeReview');
    ceo.request.next(finance.begin);
    finance.request.next(payment.chain);
    // POLICY D6: the approver refused a proxy's approval before payment — the wait that finds it (or
    // is failed by the refusal) goes back to that step's Begin; that step and every later one are
    // decided again. Only the head-of-merchandising and CEO steps take proxies; anything else would go
    // back to the very start (the strictest).
    const backToWithdrawn = new Choice(this, approvalStates.backToWithdrawnStep)
      .when(Condition.stringEquals('$.withdrawal.Cause', 'CEO'), ceo.begin)
      .otherwise(head.begin);
    for (const wait of [ceo.request, finance.request, ...payment.waitsBeforePayment]) {
      wait.addCatch(backToWithdrawn, { errors: [APPROVAL_WITHDRAWN_ERROR], resultPath: '$.withdrawal' });
    }
    head.request.next(
      // POLICY 2.2(2), D1, D2: the route recorded on the voucher decides (read at the first decision).
      new Choice(this, approvalStates.needsCeo)
        .when(Condition.booleanEquals('$.decisions.headOfMerchandising.requiresCeo', true), ceo.begin)
        .otherwise(finance.begin),
    );
    const start = invoke(approvalStates.start, built.startApproval, ref, '$.route').next(head.begin);

    const logs = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(start),
      // Execution data stays out of the logs: task inputs carry task tokens.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments and friends) and CloudWatch Logs delivery (logs:CreateLogDelivery and friends) accept no resource-level permissions.',
    });
    // A job occurrence that could not be delivered, or whose run still failed after Lambda's retries,
    // lands here (an alarm watches it); the job can then be run by hand for that day (runbook).
    this.jobDeadLetters = new Queue(this, 'JobDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.jobDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the scheduled jobs; it needs none of its own.',
    });
    for (const [name, job] of Object.entries(scheduledJobs)) {
      const fn = new FundflowFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Job`, {
        spec: job,
      }).bindNeeds(job.needs, resources);
      // Scheduler invokes asynchronously: Lambda retries a failed run twice, then gives it up here.
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.jobDeadLetters),
      });
      new Schedule(this, `${name[0]?.toUpperCase()}${name.slice(1)}Schedule`, {
        description: job.description,
        schedule:
          'cron' in job
            ? // Business time: Asia/Shanghai, whatever the region (POLICY D15; the default would be UTC).
              ScheduleExpression.cron({ ...job.cron, timeZone: TimeZone.ASIA_SHANGHAI })
            : ScheduleExpression.rate(Duration.minutes(job.everyMinutes)),
        // The occurrence's own time: a late or repeated delivery still works for its own day.
        target: new SchedulerLambdaInvoke(fn, {
          input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: this.jobDeadLetters,
        }),
      });
      Validations.of(stack).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          "EventBridge Scheduler invokes the job function by any version of that one function (CDK's target grant).",
      });
      this.jobs[name as keyof typeof scheduledJobs] = fn;
    }
    this.streamFailures = this.consumeTableStream(props.table, resources);
    for (const fn of Object.values(built)) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          "Step Functions invokes the task function by any version or alias of that one function (CDK's LambdaInvoke grant).",
      });
    }
  }

  /**
   * The consumers of the table's stream (lib/workflow/approval-states.ts `streamConsumers`): one event
   * source mapping each, filtered to the records it handles, so no other write invokes it. A failed
   * record is reported on its own (ReportBatchItemFailures; a batch that throws is bisected), retried
   * a few times, then reported to a queue an alarm watches and the shard moves on: the stream must
   * not stall behind one item. Nothing is lost by giving up — an owed delivery stays in the table
   * until delivered, and the sweep (every minute) delivers it.
   */
  private consumeTableStream(table: ITableV2, resources: FundflowResources): Queue {
    const failures = new Queue(this, 'StreamFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the on-failure destination of the table stream consumers; it needs none of its own.',
    });
    for (const [name, consumer] of Object.entries(streamConsumers) as [
      StreamConsumerName,
      (typeof streamConsumers)[StreamConsumerName],
    ][]) {
      const fn = new FundflowFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
        spec: consumer,
      }).bindNeeds(consumer.needs, resources);
      fn.addEventSource(
        new DynamoEventSource(table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: 10,
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: 3,
          maxRecordAge: Duration.hours(1),
          onFailure: new SqsDlq(failures),
          filters: [
            FilterCriteria.filter({
              eventName: FilterRule.isEqual(consumer.filter.eventName),
              dynamodb: { Keys: { pk: { S: FilterRule.isEqual(consumer.filter.partitionKey) } } },
            }),
          ],
        }),
      );
      this.streamConsumers[name] = fn;
    }
    return failures;
  }

  /**
   * A `.waitForTaskToken` task (DESIGN.md decision 4): its handler keeps the token beside the voucher
   * and a person's action answers it; its timeout — seconds, or a path into the state's input — is
   * when it reminds or looks again.
   */
  private waitFor(
    stateName: string,
    fn: FundflowFunction,
    extra: Record<string, unknown>,
    timeout: { seconds: number } | { path: string },
    resultPath: string,
  ): LambdaInvoke {
    const byPath = 'path' in timeout;
    return resilient(
      new LambdaInvoke(this, stateName, {
        lambdaFunction: fn,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({
          taskToken: JsonPath.taskToken,
          ...ref,
          ...extra,
          // The handler ignores it; the local runtime times the wait with it (the local engine reads
          // TimeoutSecondsPath from the task's parameters, not its input).
          timeoutSeconds: byPath ? JsonPath.numberAt(timeout.path) : timeout.seconds,
        }),
        taskTimeout: byPath ? Timeout.at(timeout.path) : Timeout.duration(Duration.seconds(timeout.seconds)),
        resultPath,
      }),
    );
  }

  /**
   * After finance review (POLICY 2.2(3), 2.1(3), D3–D5, D9): wait for the payment day's run to open,
   * wait for the cashier (PAID, or PAYMENT_FAILED → finance schedules it again or returns it), then
   * chase the supplier's invoice weekly until it is recorded and the voucher is CLOSED.
   */
  private paymentAndInvoice(
    built: Record<WorkflowFunctionName, FundflowFunction>,
    invoke: (
      stateName: string,
      fn: FundflowFunction,
      payload: Record<string, unknown>,
      resultPath: string | null,
    ) => LambdaInvoke,
    rejected: IChainable,
  ): { chain: IChainable; waitsBeforePayment: LambdaInvoke[] } {
    // A wait for a person that re-checks the voucher daily (its timeout enters it again): an answer
    // lost after the person's change was saved heals within a day, as the handler answers from the
    // voucher; no wait runs into Step Functions' own limits unwatched.
    const callback = (stateName: string, fn: FundflowFunction, resultPath: string) => {
      const task = this.waitFor(stateName, fn, {}, { seconds: RECHECK_SECONDS }, resultPath);
      task.addCatch(task, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
      return task;
    };
    const markReady = invoke(approvalStates.markReady, built.markReadyForPayment, ref, '$.payment');
    // POLICY D3–D5: the run of the due day opens at 00:00 Asia/Shanghai — the task's timeout — unless
    // the voucher is pulled into today's run first, which answers the task. Not a Wait state: a Wait
    // cannot be woken early.
    const waitForDay = this.waitFor(
      approvalStates.waitForPaymentDay,
      built.awaitPaymentDay,
      {},
      { path: '$.payment.secondsUntilRun' },
      JsonPath.DISCARD,
    );

    const awaitPayment = callback(approvalStates.awaitPayment, built.awaitPayment, '$.paid');
    const awaitFinance = callback(
      approvalStates.awaitFinanceAfterFailedPayment,
      built.awaitPaymentRetry,
      '$.payment',
    );
    const recordReturn = invoke(
      approvalStates.recordPaymentReturn,
      built.recordRejection,
      { ...ref, step: 'PAYMENT' },
      null,
    ).next(rejected);
    // The run opened (the timeout) or the voucher was pulled into today's run: the cashier's step.
    waitForDay.addCatch(awaitPayment, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
    awaitPayment.addCatch(awaitFinance, { errors: [PAYMENT_FAILED_ERROR], resultPath: '$.paymentFailure' });
    awaitFinance.addCatch(recordReturn, { errors: [REJECTED_ERROR], resultPath: '$.rejection' });
    awaitFinance.next(waitForDay);

    const beginChase = new Pass(this, approvalStates.beginSupplierInvoice, {
      parameters: { attempt: 0 },
      resultPath: '$.invoiceChase',
    });
    // POLICY D9: a reminder every week until the invoice is recorded (the task's timeout).
    const reminderSeconds = Duration.days(INVOICE_REMINDER_DAYS).toSeconds();
    const awaitInvoice = this.waitFor(
      approvalStates.awaitSupplierInvoice,
      built.awaitSupplierInvoice,
      { attempt: JsonPath.numberAt('$.invoiceChase.attempt') },
      { seconds: reminderSeconds },
      '$.invoice',
    );
    const remind = new Pass(this, approvalStates.remindSupplierInvoice, {
      parameters: { attempt: JsonPath.mathAdd(JsonPath.numberAt('$.invoiceChase.attempt'), 1) },
      resultPath: '$.invoiceChase',
    });
    awaitInvoice.addCatch(remind, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    remind.next(awaitInvoice);
    const chain = markReady
      .next(waitForDay)
      .next(awaitPayment)
      .next(beginChase)
      .next(awaitInvoice)
      .next(new Succeed(this, approvalStates.closed));
    // Until it is paid, an approval of the voucher may still be withdrawn (POLICY D6).
    return { chain, waitsBeforePayment: [waitForDay, awaitPayment, awaitFinance] };
  }
}
