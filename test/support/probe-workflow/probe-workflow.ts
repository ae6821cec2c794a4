/**
 * A second state machine, for tests only: proof that a workflow is an addition to the catalogue — its
 * construct and its task handlers live here, and nothing of the voucher workflow changes. It records a
 * visit (a plain task), then waits for an answer (a `.waitForTaskToken` task), then ends.
 */
import { Duration } from 'aws-cdk-lib';
import { IntegrationPattern, JsonPath, Succeed, TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type {
  WorkflowDefinition,
  WorkflowDefinitionProps,
  WorkflowEntry,
} from '../../../infra/constructs/state-machine.ts';
import { type Workflows, workflows } from '../../../infra/workflows.ts';
import type { StateMachineSpec } from '../../../lib/workflow/catalogue.ts';

export const probeTasks = {
  recordVisit: {
    entry: 'test/support/probe-workflow/record-visit.ts',
    description: 'Probe workflow (tests only): records who visited.',
    needs: { table: 'read' },
  },
  awaitAnswer: {
    entry: 'test/support/probe-workflow/await-answer.ts',
    description: 'Probe workflow (tests only): keeps its task token until the test answers.',
    needs: { table: 'read', workflows: { probe: 'answer' } },
  },
} as const;

type ProbeTask = keyof typeof probeTasks;

export const probeStates = { recordVisit: 'RecordVisit', awaitAnswer: 'AwaitAnswer', answered: 'Answered' };

export class ProbeWorkflow extends Construct implements WorkflowDefinition {
  readonly startState;

  constructor(scope: Construct, id: string, props: WorkflowDefinitionProps<ProbeTask>) {
    super(scope, id);
    const record = new LambdaInvoke(this, probeStates.recordVisit, {
      lambdaFunction: props.tasks.recordVisit,
      payload: TaskInput.fromObject({ visitor: JsonPath.stringAt('$.visitor') }),
      payloadResponseOnly: true,
      resultPath: '$.visit',
    });
    const wait = new LambdaInvoke(this, probeStates.awaitAnswer, {
      lambdaFunction: props.tasks.awaitAnswer,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        taskToken: JsonPath.taskToken,
        visitor: JsonPath.stringAt('$.visitor'),
        timeoutSeconds: 3600,
      }),
      taskTimeout: Timeout.duration(Duration.hours(1)),
      resultPath: '$.answer',
    });
    this.startState = record.next(wait).next(new Succeed(this, probeStates.answered));
  }
}

const probeSpec: StateMachineSpec = {
  description: 'A test-only state machine: visit, wait for an answer, end.',
  executions: 'one per visit, named by the test',
  tasks: probeTasks,
};

/** The catalogue's state machines plus the probe. */
export const withProbe: Workflows = {
  ...workflows,
  probe: { spec: probeSpec, definition: ProbeWorkflow } satisfies WorkflowEntry,
};

/** What the probe's tasks saw, in this process (the local runtime runs them in process). */
export const probeLog = {
  visits: [] as string[],
  /** The token of each visitor's wait, as its handler received it. */
  tokens: new Map<string, string>(),
};
