import { Duration } from 'aws-cdk-lib';
import {
  Choice,
  Condition,
  IntegrationPattern,
  JsonPath,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { reconciliationTasks } from '../../lib/reconciliation/tasks.ts';
import type { WorkflowDefinition, WorkflowDefinitionProps } from './state-machine.ts';

type TaskName = keyof typeof reconciliationTasks;

/** The state names (the local runtime and the tests name them). */
export const reconciliationStates = {
  reconcileWeek: 'ReconcileWeek',
  reconciled: 'Reconciled',
  awaitSignOff: 'AwaitSignOff',
  signedOff: 'SignedOff',
  notReady: 'NotReady',
} as const;

const ref = {
  entityId: JsonPath.stringAt('$.entityId'),
  week: JsonPath.stringAt('$.week'),
  run: JsonPath.numberAt('$.run'),
};

/** How often the sign-off wait re-checks the week: a lost answer heals within a day. */
const RECHECK = Duration.days(1);

/**
 * The weekly reconciliation (POLICY 3.2, D11): one run of one entity's week — reconcile it, then wait
 * for finance's sign-off (a `.waitForTaskToken` task; its token kept in the one wait store, answered
 * through the outbox). A week refused on an input, or superseded by a newer run, ends without a wait.
 */
export class ReconciliationWorkflow extends Construct implements WorkflowDefinition {
  readonly startState;

  constructor(scope: Construct, id: string, props: WorkflowDefinitionProps<TaskName>) {
    super(scope, id);
    const reconcile = new LambdaInvoke(this, reconciliationStates.reconcileWeek, {
      lambdaFunction: props.tasks.reconcileWeek,
      payload: TaskInput.fromObject(ref),
      payloadResponseOnly: true,
      resultPath: '$.reconciled',
      taskTimeout: Timeout.duration(Duration.minutes(15)),
    });
    // Every handler is idempotent (a retried run puts the same differences again).
    reconcile.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
    });
    reconcile.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(10),
      maxAttempts: 3,
      backoffRate: 2,
    });
    const wait = new LambdaInvoke(this, reconciliationStates.awaitSignOff, {
      lambdaFunction: props.tasks.awaitSignOff,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...ref, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.duration(RECHECK),
      resultPath: '$.signOff',
    });
    wait.addRetry({
      errors: ['Lambda.TooManyRequestsException', 'States.TaskFailed'],
      interval: Duration.seconds(5),
      maxAttempts: 4,
      backoffRate: 2,
    });
    // A day without an answer: ask again (the task answers itself when the week moved on).
    wait.addCatch(wait, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
    this.startState = reconcile.next(
      new Choice(this, reconciliationStates.reconciled)
        .when(
          Condition.stringEquals('$.reconciled.outcome', 'READY'),
          wait.next(new Succeed(this, reconciliationStates.signedOff)),
        )
        .otherwise(new Succeed(this, reconciliationStates.notReady)),
    );
  }
}
