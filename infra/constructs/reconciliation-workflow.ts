import { Duration } from 'aws-cdk-lib';
import {
  Choice,
  Condition,
  IntegrationPattern,
  JsonPath,
  Map as MapState,
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
  partitionWeek: 'PartitionWeek',
  partitioned: 'Partitioned',
  matchPartitions: 'MatchPartitions',
  matchPartition: 'MatchPartition',
  mergePartitions: 'MergePartitions',
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

/** Partitions matched at once: each a Lambda of its own; the table and the bucket take far more. */
export const MATCH_CONCURRENCY = 8;

/** How often the sign-off wait re-checks the week: a lost answer heals within a day. */
const RECHECK = Duration.days(1);

/**
 * The weekly reconciliation (POLICY 3.2, D11): one run of one entity's week — partition it into the
 * bucket, match the partitions in a Map state (one Lambda each, so a bigger week is more partitions,
 * not a bigger function), merge, then wait for finance's sign-off (a `.waitForTaskToken` task; its
 * token kept in the one wait store, answered through the outbox). A week refused on an input, or
 * superseded by a newer run, ends without a wait. Payloads stay small (256 KiB is Step Functions'
 * limit): the Map's items are partition numbers, each iteration returns a few counts and the Map
 * discards them; everything large is an object under the run's prefix (lib/reconciliation/files.ts).
 */
export class ReconciliationWorkflow extends Construct implements WorkflowDefinition {
  readonly startState;

  constructor(scope: Construct, id: string, props: WorkflowDefinitionProps<TaskName>) {
    super(scope, id);
    // Every handler is idempotent and picks up what an earlier attempt finished (run-tasks.ts).
    const retried = (task: LambdaInvoke) => {
      task.addRetry({
        errors: [
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
        ],
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
      });
      task.addRetry({
        errors: ['States.TaskFailed'],
        interval: Duration.seconds(10),
        maxAttempts: 3,
        backoffRate: 2,
      });
      return task;
    };
    const partition = retried(
      new LambdaInvoke(this, reconciliationStates.partitionWeek, {
        lambdaFunction: props.tasks.partitionWeek,
        payload: TaskInput.fromObject(ref),
        payloadResponseOnly: true,
        resultPath: '$.reconciled',
        taskTimeout: Timeout.duration(Duration.minutes(15)),
      }),
    );
    const matchOne = retried(
      new LambdaInvoke(this, reconciliationStates.matchPartition, {
        lambdaFunction: props.tasks.matchPartition,
        payload: TaskInput.fromObject({
          entityId: JsonPath.stringAt('$.entityId'),
          week: JsonPath.stringAt('$.week'),
          run: JsonPath.numberAt('$.run'),
          partition: JsonPath.numberAt('$.partition'),
        }),
        payloadResponseOnly: true,
        taskTimeout: Timeout.duration(Duration.minutes(5)),
      }),
    );
    const matchAll = new MapState(this, reconciliationStates.matchPartitions, {
      itemsPath: '$.reconciled.partitions',
      itemSelector: {
        entityId: JsonPath.stringAt('$.entityId'),
        week: JsonPath.stringAt('$.week'),
        run: JsonPath.numberAt('$.run'),
        partition: JsonPath.numberAt('$$.Map.Item.Value'),
      },
      maxConcurrency: MATCH_CONCURRENCY,
      // The iterations' summaries are not needed: the merge reads each partition's result object.
      resultPath: JsonPath.DISCARD,
    });
    matchAll.itemProcessor(matchOne);
    const merge = retried(
      new LambdaInvoke(this, reconciliationStates.mergePartitions, {
        lambdaFunction: props.tasks.mergePartitions,
        payload: TaskInput.fromObject(ref),
        payloadResponseOnly: true,
        resultPath: '$.reconciled',
        taskTimeout: Timeout.duration(Duration.minutes(15)),
      }),
    );
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
    const reconciled = new Choice(this, reconciliationStates.reconciled)
      .when(
        Condition.stringEquals('$.reconciled.outcome', 'READY'),
        wait.next(new Succeed(this, reconciliationStates.signedOff)),
      )
      .otherwise(new Succeed(this, reconciliationStates.notReady));
    this.startState = partition.next(
      new Choice(this, reconciliationStates.partitioned)
        .when(
          Condition.stringEquals('$.reconciled.outcome', 'PARTITIONED'),
          matchAll.next(merge).next(reconciled),
        )
        // Refused, superseded, or reconciled already (a replay): the run's outcome decides.
        .otherwise(reconciled),
    );
  }
}
