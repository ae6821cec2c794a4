/** The catalogues as synthesized: every state machine (the voucher workflow's definition), the jobs, the stream's consumer. */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/fundflow-function.ts';
import { WORKFLOW_METADATA } from '../../infra/constructs/state-machine.ts';
import {
  APPROVAL_WITHDRAWN_ERROR,
  PAYMENT_FAILED_ERROR,
  REJECTED_ERROR,
} from '../../lib/workflow/approval-states.ts';
import {
  scheduledJobs,
  stateMachineArnKey,
  stateMachines,
  WORKFLOW_NAMES,
} from '../../lib/workflow/catalogue.ts';
import {
  actionsIn,
  actionsOf,
  allFunctions,
  environmentOf,
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

const voucherWorkflow = () => synthesized.stack.workflows.voucher;

function stateMachine(name = 'voucher') {
  const { stack, template } = synthesized;
  const workflow = stack.workflows[name];
  if (!workflow) throw new Error(`no state machine ${name}`);
  return template.toJSON().Resources[logicalIdOf(stack, workflow.stateMachine)];
}

describe('every state machine of the catalogue', () => {
  it('is built, and nothing else is', () => {
    const { template } = synthesized;
    const built = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map(
      (resource) => resource.Metadata?.[WORKFLOW_METADATA],
    );

    expect(built.sort()).toEqual([...WORKFLOW_NAMES].sort());
  });

  it('is a Standard state machine that logs every event, without execution data, and traces', () => {
    for (const name of WORKFLOW_NAMES) {
      expect(stateMachine(name).Properties, name).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it('has the name the functions that start and answer it were granted', () => {
    const { stack } = synthesized;

    expect(stateMachine('voucher').Properties.StateMachineName).toBe(`${stack.stackName}-Voucher`);
    for (const name of WORKFLOW_NAMES) {
      expect(stateMachine(name).Properties.StateMachineName, name).toMatch(
        new RegExp(`^${stack.stackName}-`),
      );
    }
  });

  it('has one function per task of its catalogue entry, each naming its handler module in its metadata', () => {
    const { stack, template } = synthesized;
    const resources = template.toJSON().Resources;

    for (const name of WORKFLOW_NAMES) {
      const workflow = stack.workflows[name];
      const tasks = stateMachines[name].tasks as Record<string, { entry: string }>;
      expect(Object.keys(workflow?.functions ?? {}).sort(), name).toEqual(Object.keys(tasks).sort());
      for (const [task, fn] of Object.entries(workflow?.functions ?? {})) {
        expect(resources[logicalIdOf(stack, fn)].Metadata?.[ENTRY_METADATA], task).toBe(tasks[task]?.entry);
      }
    }
  });

  it('may invoke only its own task functions, and use "*" only for X-Ray and log delivery', () => {
    const { stack, template } = synthesized;
    for (const workflow of Object.values(stack.workflows)) {
      const statements = statementsOfRole(template, logicalIdOf(stack, workflow.stateMachine.role));
      const taskFunctionIds = Object.values(workflow.functions).map((fn) => logicalIdOf(stack, fn));

      for (const statement of statements) {
        const actions = actionsIn(statement);
        if (statement.Resource === '*') {
          expect(actions.every((action) => action.startsWith('xray:') || action.startsWith('logs:'))).toBe(
            true,
          );
        } else {
          expect(actions).toEqual(['lambda:InvokeFunction']);
          const invoked = [
            ...JSON.stringify(statement.Resource).matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)"/g),
          ].map((match) => match[1]);
          expect(invoked.length, workflow.name).toBeGreaterThan(0);
          for (const id of invoked) expect(taskFunctionIds, workflow.name).toContain(id);
        }
      }
    }
  });
});

describe('the voucher state machine', () => {
  it('waits for people with task tokens and branches on the recorded route', () => {
    const definition = JSON.stringify(stateMachine().Properties.DefinitionString);

    expect(definition).toContain('lambda:invoke.waitForTaskToken');
    expect(definition).toContain('$.decisions.headOfMerchandising.requiresCeo');
    expect(definition).toContain('TimeoutSecondsPath');
  });
});

/** The synthesized definition as a JSON object, CloudFormation references replaced by a placeholder. */
function definition(name = 'voucher'): {
  States: Record<
    string,
    { Type: string; Next?: string; Catch?: { ErrorEquals: string[]; Next: string }[] } & Record<
      string,
      unknown
    >
  >;
} {
  const { DefinitionString } = stateMachine(name).Properties;
  const parts: unknown[] =
    typeof DefinitionString === 'string' ? [DefinitionString] : DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'REF')).join(''));
}

describe('the reconciliation state machine (POLICY 3.2, D11)', () => {
  it('partitions the run, matches the partitions in an inline Map, merges, then waits for finance’s sign-off with a task token — or ends when the run did not finish', () => {
    const { States, ...top } = definition('reconciliation') as ReturnType<typeof definition> & {
      StartAt: string;
      QueryLanguage?: string;
    };

    expect(top).toMatchObject({ StartAt: 'PartitionWeek' });
    expect(top.QueryLanguage).not.toBe('JSONata');
    expect(States.PartitionWeek).toMatchObject({
      Type: 'Task',
      Next: 'Partitioned',
      ResultPath: '$.reconciled',
    });
    expect(States.Partitioned).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.reconciled.outcome', StringEquals: 'PARTITIONED', Next: 'MatchPartitions' }],
      Default: 'Reconciled',
    });
    expect(States.MergePartitions).toMatchObject({
      Type: 'Task',
      Next: 'Reconciled',
      ResultPath: '$.reconciled',
    });
    expect(States.Reconciled).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.reconciled.outcome', StringEquals: 'READY', Next: 'AwaitSignOff' }],
      Default: 'NotReady',
    });
    expect(States.AwaitSignOff).toMatchObject({
      Type: 'Task',
      Resource: 'arn:REF:states:::lambda:invoke.waitForTaskToken',
      Next: 'SignedOff',
    });
    expect(States.AwaitSignOff?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'AwaitSignOff' }),
    ]);
  });

  it('fans the match out over the partition numbers in an inline Map, 8 at a time, each a retried task whose small result the Map discards', () => {
    const { States } = definition('reconciliation');
    const map = States.MatchPartitions as unknown as Record<string, unknown> & {
      ItemProcessor: {
        ProcessorConfig?: { Mode?: string };
        StartAt: string;
        States: Record<string, { Retry?: unknown }>;
      };
    };

    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.reconciled.partitions',
      ItemSelector: {
        'entityId.$': '$.entityId',
        'week.$': '$.week',
        'run.$': '$.run',
        'partition.$': '$$.Map.Item.Value',
      },
      MaxConcurrency: 8,
      ResultPath: null,
      Next: 'MergePartitions',
    });
    expect(map.ItemProcessor.ProcessorConfig?.Mode ?? 'INLINE').toBe('INLINE');
    expect(map.ItemProcessor.StartAt).toBe('MatchPartition');
    const task = map.ItemProcessor.States.MatchPartition;
    expect(task).toMatchObject({
      Type: 'Task',
      End: true,
      Parameters: {
        'entityId.$': '$.entityId',
        'week.$': '$.week',
        'run.$': '$.run',
        'partition.$': '$.partition',
      },
    });
    expect(task?.Retry).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
        }),
      ]),
    );
  });

  it('gives the partitioning and merging tasks the time, memory and disk of a week of files, and a partition’s task a partition’s', () => {
    const { stack, template } = synthesized;
    const functions = stack.workflows.reconciliation?.functions ?? {};
    const properties = (task: string) => {
      const fn = functions[task];
      if (!fn) throw new Error(`no ${task} function`);
      return template.toJSON().Resources[logicalIdOf(stack, fn)].Properties;
    };

    expect(properties('partitionWeek')).toMatchObject({
      Timeout: 900,
      MemorySize: 1769,
      EphemeralStorage: { Size: 4096 },
    });
    expect(properties('mergePartitions')).toMatchObject({ Timeout: 900, MemorySize: 1769 });
    expect(properties('matchPartition')).toMatchObject({ Timeout: 300, MemorySize: 1024 });
  });
});

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

describe('answering and starting the workflows', () => {
  it('is allowed only to the functions whose needs name the state machine, and only on that state machine', () => {
    const { stack } = synthesized;
    for (const name of WORKFLOW_NAMES) {
      const arn = `:stateMachine:${stack.stackName}-${stateMachine(name).Properties.StateMachineName.split('-').at(-1)}"`;
      const granted = (action: string) =>
        allFunctions(stack).filter(({ fn }) =>
          statementsOf(synthesized, fn).some(
            (statement) =>
              actionsIn(statement).includes(action) && JSON.stringify(statement.Resource).includes(arn),
          ),
        );
      const needing = (access: string[]) =>
        allFunctions(stack).filter(({ spec }) => access.includes(spec.needs.workflows?.[name] ?? ''));

      expect(
        granted('states:SendTaskSuccess')
          .map((fn) => fn.name)
          .sort(),
        name,
      ).toEqual(
        needing(['answer', 'startAndAnswer'])
          .map((fn) => fn.name)
          .sort(),
      );
      expect(
        granted('states:StartExecution')
          .map((fn) => fn.name)
          .sort(),
        name,
      ).toEqual(
        needing(['start', 'startAndAnswer'])
          .map((fn) => fn.name)
          .sort(),
      );
      for (const { name: fn, spec } of needing(['start', 'answer', 'startAndAnswer'])) {
        expect(Object.keys(spec.needs.workflows ?? {}), fn).toContain(name);
      }
    }
    // No grant of a Step Functions action on anything but a state machine of the stack, by its name.
    for (const { name, fn } of allFunctions(stack)) {
      for (const statement of statementsOf(synthesized, fn)) {
        if (!actionsIn(statement).some((action) => action.startsWith('states:'))) continue;
        expect(JSON.stringify(statement.Resource), name).toMatch(`:stateMachine:${stack.stackName}-`);
      }
    }
  });

  it('names each state machine a function may use by its own ARN key, and no other', () => {
    const { stack } = synthesized;
    for (const { name, spec, fn } of allFunctions(stack)) {
      const variables = environmentOf(synthesized, fn);
      const arnKeys = Object.keys(variables).filter((key) => key.startsWith('STATE_MACHINE_ARN'));

      expect(arnKeys.sort(), name).toEqual(
        Object.keys(spec.needs.workflows ?? {})
          .map(stateMachineArnKey)
          .sort(),
      );
    }
    const [dispatcher] = allFunctions(stack).filter(({ name }) => name === 'stream.deliverOwed');
    expect(dispatcher && environmentOf(synthesized, dispatcher.fn).STATE_MACHINE_ARN_VOUCHER).toEqual(
      expect.objectContaining({
        'Fn::Join': ['', expect.arrayContaining([`:stateMachine:${stack.stackName}-Voucher`])],
      }),
    );
  });

  it('has the voucher workflow’s waiting tasks answer their own state machine', () => {
    const tasks = Object.entries(stateMachines.voucher.tasks).filter(
      ([, spec]) => (spec.needs as { workflows?: Record<string, string> }).workflows?.voucher === 'answer',
    );

    expect(tasks.map(([name]) => name).sort()).toEqual([
      'awaitPayment',
      'awaitPaymentDay',
      'awaitPaymentRetry',
      'awaitSupplierInvoice',
      'requestApproval',
    ]);
    for (const [task] of tasks) {
      expect(actionsOf(synthesized, voucherWorkflow()?.functions[task] as never), task).toEqual(
        expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']),
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
      Ref: logicalIdOf(stack, stack.stream.functions.deliverOwed as never),
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
          Destination: { 'Fn::GetAtt': [logicalIdOf(stack, stack.stream.failures), 'Arn'] },
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
          JSON.stringify(alarm.Properties.Dimensions).includes(logicalIdOf(stack, stack.stream.failures)),
      ),
    ).toHaveLength(1);
  });

  it('lets the dispatcher read only the table’s stream, start and answer only the stack’s state machines', () => {
    const { stack } = synthesized;
    const statements = statementsOf(synthesized, stack.stream.functions.deliverOwed as never);
    const granting = (action: string) =>
      statements
        .filter((statement) => actionsIn(statement).includes(action))
        .map((statement) => statement.Resource);

    expect(granting('dynamodb:GetRecords')).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(stack, stack.data.table), 'StreamArn'] },
    ]);
    for (const action of ['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure']) {
      expect(JSON.stringify(granting(action)), action).toMatch(`:stateMachine:${stack.stackName}-Voucher"`);
    }
    expect(actionsOf(synthesized, stack.stream.functions.deliverOwed as never)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem']),
    );
  });

  it('is swept every minute by a scheduled job that delivers what the stream did not', () => {
    const { stack, template } = synthesized;

    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.jobs.functions.sweepOwedDeliveries as never), 'Arn'] },
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
    for (const fn of Object.values(synthesized.stack.jobs.functions)) {
      expect(actionsOf(synthesized, fn)).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
    }
  });

  it('give an occurrence that could not be delivered, or whose run failed after Lambda’s retries, to a dead-letter queue', () => {
    const { stack, template } = synthesized;
    const queue = { 'Fn::GetAtt': [logicalIdOf(stack, stack.jobs.deadLetters), 'Arn'] };
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));

    for (const schedule of schedules) {
      expect(schedule.Properties.Target.DeadLetterConfig).toEqual({ Arn: queue });
      expect(schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    for (const fn of Object.values(stack.jobs.functions)) {
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
          'Fn::GetAtt': [logicalIdOf(stack, stack.jobs.functions[name] as never), 'Arn'],
        })),
      ),
    );
  });
});

describe('alarms', () => {
  it('watch every state machine for an execution that failed, timed out or was aborted, and for a scheduled job that could not run', () => {
    const { stack, template } = synthesized;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const watched = alarms.map((alarm) => [alarm.Properties.Namespace, alarm.Properties.MetricName]);

    expect(watched).toEqual(expect.arrayContaining([['AWS/SQS', 'ApproximateNumberOfMessagesVisible']]));
    for (const workflow of Object.values(stack.workflows)) {
      const ofMachine = alarms.filter(
        (alarm) =>
          JSON.stringify(alarm.Properties.Dimensions) ===
          JSON.stringify([
            { Name: 'StateMachineArn', Value: { Ref: logicalIdOf(stack, workflow.stateMachine) } },
          ]),
      );

      expect(ofMachine.map((alarm) => alarm.Properties.MetricName).sort(), workflow.name).toEqual([
        'ExecutionsAborted',
        'ExecutionsFailed',
        'ExecutionsTimedOut',
      ]);
    }
  });
});

describe('the invoice batch state machine (POLICY 4, D12, D13)', () => {
  it('waits on Wait states until the timestamps its first task planned, in JSONPath, and then for people with task tokens', () => {
    const { States } = definition('invoiceBatch');

    expect(States.WaitForDueDay).toMatchObject({ Type: 'Wait', TimestampPath: '$.plan.remindAt' });
    expect(States.WaitForEscalationDay).toMatchObject({ Type: 'Wait', TimestampPath: '$.plan.escalateAt' });
    expect(States.AwaitIssued?.Resource).toContain('waitForTaskToken');
    expect(States.AwaitMailed?.Resource).toContain('waitForTaskToken');
    // A daily re-check: the timeout enters the same wait again.
    expect(States.AwaitIssued?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'AwaitIssued' }),
    ]);
    expect(JSON.stringify(States)).not.toContain('JSONata');
    expect(Object.values(States).map((state) => state.Type)).not.toContain('Map');
  });
});
