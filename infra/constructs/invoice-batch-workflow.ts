import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  type InvoiceBatchTaskName,
  invoiceBatchStates as states,
} from '../../lib/workflow/invoice-batch-states.ts';
import type { WorkflowDefinition, WorkflowDefinitionProps } from './state-machine.ts';

const ref = { entityId: JsonPath.stringAt('$.entityId'), batchDate: JsonPath.stringAt('$.batchDate') };

/** How often a wait for people re-checks the batch: a lost answer heals within a day. */
const RECHECK_SECONDS = Duration.days(1).toSeconds();

/** Throttling and any failure of a handler are retried (every handler is idempotent). */
function resilient<T extends LambdaInvoke>(task: T): T {
  task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
  });
  task.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 4,
    backoffRate: 2,
  });
  return task;
}

/**
 * The invoice batch workflow (POLICY 4, D12, D13; docs/invoicing-workflow.md has its diagram): started
 * by the close, it emails finance the batch with the 《开票申请表》, waits until 09:00 on the due day
 * (a Wait state on the timestamp MailFinance planned) and reminds finance while lines remain, waits
 * until 09:00 the next working day and escalates to the finance reviewer's manager and the CEO, then
 * waits (a task token in the wait store) until no line is with finance, then until every issued line's
 * mailing is recorded. A line's change that ends a wait answers it through the outbox; each wait
 * re-checks the batch daily. The local runtime runs this very definition.
 */
export class InvoiceBatchWorkflow extends Construct implements WorkflowDefinition {
  readonly startState: IChainable;

  constructor(scope: Construct, id: string, props: WorkflowDefinitionProps<InvoiceBatchTaskName>) {
    super(scope, id);
    const { tasks } = props;
    const invoke = (stateName: string, fn: IFunction, payload: Record<string, unknown>, resultPath: string) =>
      resilient(
        new LambdaInvoke(this, stateName, {
          lambdaFunction: fn,
          payload: TaskInput.fromObject({ ...ref, ...payload }),
          payloadResponseOnly: true,
          resultPath,
          taskTimeout: Timeout.duration(Duration.seconds(60)),
        }),
      );
    // A wait for people: its handler keeps the token under the batch, or answers at once; its
    // timeout enters it again (a daily re-check).
    const awaitBatch = (stateName: string, kind: 'ISSUED' | 'MAILED', resultPath: string) => {
      const task = resilient(
        new LambdaInvoke(this, stateName, {
          lambdaFunction: tasks.awaitInvoiceBatch,
          integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
          payload: TaskInput.fromObject({
            taskToken: JsonPath.taskToken,
            ...ref,
            kind,
            // The handler ignores it; the local runtime times the wait with it.
            timeoutSeconds: RECHECK_SECONDS,
          }),
          taskTimeout: Timeout.duration(Duration.seconds(RECHECK_SECONDS)),
          resultPath,
        }),
      );
      task.addCatch(task, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
      return task;
    };

    const mailFinance = invoke(states.mailFinance, tasks.mailBatchToFinance, {}, '$.plan');
    const waitForDueDay = new Wait(this, states.waitForDueDay, {
      time: WaitTime.timestampPath('$.plan.remindAt'),
    });
    const remind = invoke(
      states.remindFinance,
      tasks.tellFinanceOfDeadline,
      { kind: 'REMINDER', day: JsonPath.stringAt('$.plan.dueBy') },
      '$.reminder',
    );
    const waitForEscalationDay = new Wait(this, states.waitForEscalationDay, {
      time: WaitTime.timestampPath('$.plan.escalateAt'),
    });
    const escalate = invoke(
      states.escalateFinance,
      tasks.tellFinanceOfDeadline,
      { kind: 'ESCALATION', day: JsonPath.stringAt('$.plan.escalationDay') },
      '$.escalation',
    );
    const awaitIssued = awaitBatch(states.awaitIssued, 'ISSUED', '$.issued');
    const awaitMailed = awaitBatch(states.awaitMailed, 'MAILED', '$.mailed');
    awaitMailed.next(new Succeed(this, states.done));
    awaitIssued.next(awaitMailed);

    escalate.next(
      new Choice(this, states.linesLeftAfterEscalation)
        .when(Condition.numberGreaterThan('$.escalation.withFinance', 0), awaitIssued)
        .otherwise(awaitMailed),
    );
    waitForEscalationDay.next(escalate);
    remind.next(
      new Choice(this, states.linesLeftAfterReminder)
        .when(Condition.numberGreaterThan('$.reminder.withFinance', 0), waitForEscalationDay)
        .otherwise(awaitMailed),
    );
    this.startState = mailFinance.next(waitForDueDay).next(remind);
  }
}
