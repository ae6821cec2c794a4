/** The approval state machine and the scheduled jobs, as synthesized. */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPROVAL_WITHDRAWN_ERROR,
  PAYMENT_FAILED_ERROR,
  REJECTED_ERROR,
  scheduledJobs,
} from '../../lib/workflow/approval-states.ts';
import {
  actionsIn,
  actionsOf,
  allFunctions,
  logicalIdOf,
  type Synthesized,
  statementsOf,
  statementsOfRole,
  synthesize,
} from './synth.ts';

let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synthesize();
});

function stateMachine() {
  const { stack, template } = synthesized;
  return template.toJSON().Resources[logicalIdOf(stack, stack.approval.stateMachine)];
}

describe('the approval state machine', () => {
  it('is a Standard state machine that logs every event, without execution data, and traces', () => {
    expect(stateMachine().Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('has the name the functions that answer its tasks were granted', () => {
    const { stack } = synthesized;

    expect(stateMachine().Properties.StateMachineName).toBe(`${stack.stackName}-Approval`);
  });

  it('waits for people with task tokens and branches on the recorded route', () => {
    const definition = JSON.stringify(stateMachine().Properties.DefinitionString);

    expect(definition).toContain('lambda:invoke.waitForTaskToken');
    expect(definition).toContain('$.decisions.headOfMerchandising.requiresCeo');
    expect(definition).toContain('TimeoutSecondsPath');
  });

  it('may invoke only its own task functions, and use "*" only for X-Ray and log delivery', () => {
    const { stack, template } = synthesized;
    const role = stack.approval.stateMachine.role;
    const statements = statementsOfRole(template, logicalIdOf(stack, role));
    const taskFunctionIds = Object.values(stack.approval.functions).map((fn) => logicalIdOf(stack, fn));

    for (const statement of statements) {
      const actions = actionsIn(statement);
      if (statement.Resource === '*') {
        expect(actions.every((action) => action.startsWith('xray:') || action.startsWith('logs:'))).toBe(
          true,
        );
      } else {
        expect(actions).toEqual(['lambda:InvokeFunction']);
        expect(
          JSON.stringify(statement.Resource)
            .match(/Approval[A-Za-z]+Function[0-9A-F]{8}/g)
            ?.sort(),
        ).toEqual(expect.arrayContaining(taskFunctionIds));
      }
    }
  });
});

/** The synthesized definition as a JSON object, CloudFormation references replaced by a placeholder. */
function definition(): {
  States: Record<
    string,
    { Type: string; Next?: string; Catch?: { ErrorEquals: string[]; Next: string }[] } & Record<
      string,
      unknown
    >
  >;
} {
  const { DefinitionString } = stateMachine().Properties;
  const parts: unknown[] =
    typeof DefinitionString === 'string' ? [DefinitionString] : DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'REF')).join(''));
}

describe('payment and the supplier-invoice chase (POLICY 2.2(3), D3–D5, D9)', () => {
  it('waits for the run of the payment day to open — or for a pull into today’s run, which answers it', () => {
    const { States } = definition();

    expect(States.MarkReadyForPayment).toMatchObject({ Next: 'WaitForPaymentDay', ResultPath: '$.payment' });
    expect(States.WaitForPaymentDay).toMatchObject({
      Type: 'Task',
      Resource: 'arn:REF:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.payment.secondsUntilRun',
      ResultPath: null,
      Next: 'AwaitPayment',
    });
    expect(States.WaitForPaymentDay?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'AwaitPayment', ResultPath: null }),
      expect.objectContaining({ ErrorEquals: [APPROVAL_WITHDRAWN_ERROR], Next: 'BackToWithdrawnStep' }),
    ]);
  });

  it('waits for the cashier with a task token; a failed payment goes to finance, who schedule it again or return it', () => {
    const { States } = definition();

    expect(States.AwaitPayment).toMatchObject({
      Type: 'Task',
      Resource: 'arn:REF:states:::lambda:invoke.waitForTaskToken',
      Next: 'BeginSupplierInvoice',
    });
    expect(States.AwaitPayment?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'AwaitPayment' }),
      expect.objectContaining({
        ErrorEquals: [PAYMENT_FAILED_ERROR],
        Next: 'AwaitFinanceAfterFailedPayment',
      }),
      expect.objectContaining({ ErrorEquals: [APPROVAL_WITHDRAWN_ERROR], Next: 'BackToWithdrawnStep' }),
    ]);
    expect(States.AwaitFinanceAfterFailedPayment).toMatchObject({ Next: 'WaitForPaymentDay' });
    expect(States.AwaitFinanceAfterFailedPayment?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'AwaitFinanceAfterFailedPayment' }),
      expect.objectContaining({ ErrorEquals: [REJECTED_ERROR], Next: 'RecordPaymentReturn' }),
      expect.objectContaining({ ErrorEquals: [APPROVAL_WITHDRAWN_ERROR], Next: 'BackToWithdrawnStep' }),
    ]);
  });

  it('has the cashier’s and finance’s waits look at the voucher again every day, so a lost answer heals', () => {
    const { States } = definition();

    for (const name of ['AwaitPayment', 'AwaitFinanceAfterFailedPayment']) {
      expect(States[name]).toMatchObject({ TimeoutSeconds: 24 * 3600 });
    }
  });

  it('retries every task on throttling and on its handler’s failures, but never a person’s answer', () => {
    const { States } = definition();
    const tasks = Object.entries(States).filter(([, state]) => state.Type === 'Task');

    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const retry = (state.Retry ?? []) as { ErrorEquals: string[]; MaxAttempts?: number }[];
      const first = (error: string) => retry.find((retrier) => retrier.ErrorEquals.includes(error));
      const wildcard = retry.findIndex((retrier) => retrier.ErrorEquals.includes('States.TaskFailed'));
      const answers = retry.findIndex((retrier) => retrier.ErrorEquals.includes(PAYMENT_FAILED_ERROR));
      expect(first('Lambda.TooManyRequestsException')?.MaxAttempts, name).toBeGreaterThan(0);
      expect(first('States.TaskFailed')?.MaxAttempts, name).toBeGreaterThan(0);
      // A person's answer matches States.TaskFailed too: the retrier that lets it through comes first.
      expect(first(REJECTED_ERROR)?.MaxAttempts, name).toBe(0);
      expect(first(APPROVAL_WITHDRAWN_ERROR)?.MaxAttempts, name).toBe(0);
      expect(answers, name).toBeLessThan(wildcard);
    }
  });

  it('sends every wait after a proxy-approvable step back to the withdrawn step’s Begin when an approval is refused before payment (D6)', () => {
    const { States } = definition();
    const withdrawable = [
      'RequestCeoDecision',
      'RequestFinanceReviewDecision',
      'WaitForPaymentDay',
      'AwaitPayment',
      'AwaitFinanceAfterFailedPayment',
    ];

    for (const name of withdrawable) {
      expect(States[name]?.Catch, name).toContainEqual(
        expect.objectContaining({
          ErrorEquals: [APPROVAL_WITHDRAWN_ERROR],
          Next: 'BackToWithdrawnStep',
          ResultPath: '$.withdrawal',
        }),
      );
    }
    expect(States.BackToWithdrawnStep).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.withdrawal.Cause', StringEquals: 'CEO', Next: 'BeginCeo' }],
      Default: 'BeginHeadOfMerchandising',
    });
    // Once paid, nothing goes back: the refusal is escalated instead.
    expect(JSON.stringify(States.AwaitSupplierInvoice?.Catch)).not.toContain(APPROVAL_WITHDRAWN_ERROR);
  });

  it('reminds weekly until the invoice is recorded, then closes the voucher', () => {
    const { States } = definition();

    expect(States.AwaitSupplierInvoice).toMatchObject({
      TimeoutSeconds: 7 * 24 * 3600,
      Next: 'Closed',
    });
    expect(States.AwaitSupplierInvoice?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'RemindSupplierInvoice' }),
    ]);
    expect(States.RemindSupplierInvoice).toMatchObject({ Type: 'Pass', Next: 'AwaitSupplierInvoice' });
    expect(States.Closed).toMatchObject({ Type: 'Succeed' });
  });
});

describe('answering and starting the workflow', () => {
  it('is allowed only to the functions that decide, and only on this state machine', () => {
    const { stack } = synthesized;
    const answering = allFunctions(stack).filter(({ fn }) =>
      actionsOf(synthesized, fn).includes('states:SendTaskSuccess'),
    );

    expect(answering.map(({ name }) => name).sort()).toEqual(
      allFunctions(stack)
        .filter(({ spec }) => 'taskResponse' in spec.needs)
        .map(({ name }) => name)
        .sort(),
    );
    for (const { name, fn } of answering) {
      const statement = statementsOf(synthesized, fn).find((candidate) =>
        actionsIn(candidate).includes('states:SendTaskSuccess'),
      );

      expect(JSON.stringify(statement?.Resource), name).toMatch(
        new RegExp(
          `(:stateMachine:${stack.stackName}-Approval"|${logicalIdOf(stack, stack.approval.stateMachine)})`,
        ),
      );
    }
  });

  it('lets only the workflow outbox’s dispatcher and sweep start executions', () => {
    const starting = allFunctions(synthesized.stack).filter(({ fn }) =>
      actionsOf(synthesized, fn).includes('states:StartExecution'),
    );

    expect(starting.map(({ name }) => name).sort()).toEqual([
      'job.sweepOwedDeliveries',
      'stream.deliverOwed',
    ]);
  });

  it('gives no HTTP function any Step Functions action: what a change owes the workflow is in the outbox', () => {
    for (const fn of Object.values(synthesized.stack.http.functions)) {
      expect(
        actionsOf(synthesized, fn).filter((action) => action.startsWith('states:')),
        fn.node.path,
      ).toEqual([]);
    }
  });
});

describe('the workflow outbox (lib/workflow/outbox.ts)', () => {
  const mapping = () => {
    const { stack, template } = synthesized;
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties.FunctionName).toEqual({
      Ref: logicalIdOf(stack, stack.approval.streamConsumers.deliverOwed),
    });
    return mappings[0]?.Properties;
  };

  it('has its dispatcher consume the table’s stream, invoked only by outbox items as they are inserted', () => {
    const { stack } = synthesized;

    expect(mapping()).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.data.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: ['OUTBOX'] } } } }),
          },
        ],
      },
    });
  });

  it('reports failures per record, bisects a failed batch, retries a few times, then hands it to a queue', () => {
    const { stack } = synthesized;

    expect(mapping()).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalIdOf(stack, stack.approval.streamFailures), 'Arn'] },
        },
      },
    });
  });

  it('has an alarm on that queue', () => {
    const { stack, template } = synthesized;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    expect(
      alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(
            logicalIdOf(stack, stack.approval.streamFailures),
          ),
      ),
    ).toHaveLength(1);
  });

  it('lets the dispatcher read only the table’s stream, start and answer only the approval state machine', () => {
    const { stack } = synthesized;
    const statements = statementsOf(synthesized, stack.approval.streamConsumers.deliverOwed);
    const granting = (action: string) =>
      statements
        .filter((statement) => actionsIn(statement).includes(action))
        .map((statement) => statement.Resource);

    expect(granting('dynamodb:GetRecords')).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(stack, stack.data.table), 'StreamArn'] },
    ]);
    for (const action of ['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure']) {
      expect(JSON.stringify(granting(action)), action).toMatch(`:stateMachine:${stack.stackName}-Approval"`);
    }
    expect(actionsOf(synthesized, stack.approval.streamConsumers.deliverOwed)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem']),
    );
  });

  it('is swept every minute by a scheduled job that delivers what the stream did not', () => {
    const { stack, template } = synthesized;

    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.approval.jobs.sweepOwedDeliveries), 'Arn'] },
      }),
    });
  });
});

describe('scheduled jobs', () => {
  it('run the countersign reminder on Monday mornings in Asia/Shanghai', () => {
    synthesized.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
  });

  it('run the cashier reminder at 17:30 Asia/Shanghai every day (the job skips non-working days)', () => {
    synthesized.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 17 ? * * *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
  });

  it('pass each job the time of its occurrence, so a late or repeated delivery works for its own day', () => {
    const schedules = Object.values(synthesized.template.findResources('AWS::Scheduler::Schedule'));

    expect(schedules.length).toBeGreaterThan(0);
    for (const schedule of schedules) {
      expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
    }
  });

  it('may record the days they have done, so a repeated delivery sends nothing again', () => {
    for (const fn of Object.values(synthesized.stack.approval.jobs)) {
      expect(actionsOf(synthesized, fn)).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
    }
  });

  it('give an occurrence that could not be delivered, or whose run failed after Lambda’s retries, to a dead-letter queue', () => {
    const { stack, template } = synthesized;
    const queue = { 'Fn::GetAtt': [logicalIdOf(stack, stack.approval.jobDeadLetters), 'Arn'] };
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));

    for (const schedule of schedules) {
      expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: queue });
      expect(schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    for (const fn of Object.values(stack.approval.jobs)) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(stack, fn) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: queue } },
      });
    }
  });

  it('have one schedule per job, each invoking its own function', () => {
    const { stack, template } = synthesized;
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));

    expect(schedules.map((schedule) => schedule.Properties.Target.Arn)).toEqual(
      expect.arrayContaining(
        Object.keys(scheduledJobs).map((name) => ({
          'Fn::GetAtt': [logicalIdOf(stack, stack.approval.jobs[name as keyof typeof scheduledJobs]), 'Arn'],
        })),
      ),
    );
  });
});

describe('alarms', () => {
  it('watch for a voucher workflow that failed, timed out or was aborted, and for a scheduled job that could not run', () => {
    const { stack, template } = synthesized;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const watched = alarms.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.MetricName]);

    expect(watched).toEqual(
      expect.arrayContaining([
        ['AWS/States', 'ExecutionsFailed'],
        ['AWS/States', 'ExecutionsTimedOut'],
        ['AWS/States', 'ExecutionsAborted'],
        ['AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
      ]),
    );
    for (const alarm of alarms.filter((candidate) => candidate.Properties.Namespace === 'AWS/States')) {
      expect(alarm.Properties.Dimensions).toEqual([
        { Name: 'StateMachineArn', Value: { Ref: logicalIdOf(stack, stack.approval.stateMachine) } },
      ]);
    }
  });
});
