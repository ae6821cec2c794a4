import { type CfnElement, type CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IChainable,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascalCase, type StateMachineSpec, stateMachineNameOf } from '../../lib/workflow/catalogue.ts';
import { FundflowFunction, type FundflowResources, stateMachineArnByName } from './fundflow-function.ts';

/** What a state machine's definition construct is given: its task functions, by catalogue task name. */
export interface WorkflowDefinitionProps<TaskName extends string = string> {
  tasks: Readonly<Record<TaskName, IFunction>>;
}

/**
 * A state machine's definition (cdk-patterns: one construct per workflow, tasks VerbNoun with their
 * Retry and Catch): it builds the chain from its task functions and names where it starts.
 */
export interface WorkflowDefinition {
  readonly startState: IChainable;
}

export type WorkflowDefinitionClass<TaskName extends string = string> = new (
  scope: Construct,
  id: string,
  props: WorkflowDefinitionProps<TaskName>,
) => Construct & WorkflowDefinition;

/** A catalogue entry (lib/workflow/catalogue.ts) with the construct of its definition. */
export interface WorkflowEntry {
  spec: StateMachineSpec;
  definition: WorkflowDefinitionClass;
}

/**
 * The CloudFormation metadata key naming a state machine's catalogue name: the local runtime runs every
 * state machine of the synthesized app under that name.
 */
export const WORKFLOW_METADATA = 'fundflow:workflow';

export interface FundflowStateMachineProps {
  /** Its catalogue name (`voucher`): the state machine is `<stack>-<Name>`. */
  name: string;
  workflow: WorkflowEntry;
  resources: FundflowResources;
}

/** The ARN each state machine of `workflows` will have in this stack, by catalogue name. */
export function stateMachineArns(
  scope: Construct,
  workflows: Readonly<Record<string, WorkflowEntry>>,
): Record<string, string> {
  const stackName = Stack.of(scope).stackName;
  return Object.fromEntries(
    Object.keys(workflows).map((name) => [
      name,
      stateMachineArnByName(scope, stateMachineNameOf(stackName, name)),
    ]),
  );
}

/**
 * The house state machine, for every entry of the catalogue: its task functions (each granted what its
 * spec needs), its definition's construct, and a Standard state machine that logs every event
 * without execution data (task inputs carry task tokens) and traces with X-Ray.
 */
export class FundflowStateMachine extends Construct {
  /** Its catalogue name. */
  readonly name: string;
  readonly spec: StateMachineSpec;
  readonly stateMachine: StateMachine;
  /** The task functions, by catalogue task name. */
  readonly functions: Record<string, FundflowFunction> = {};

  constructor(scope: Construct, id: string, props: FundflowStateMachineProps) {
    super(scope, id);
    this.name = props.name;
    this.spec = props.workflow.spec;
    const stack = Stack.of(this);
    for (const [task, spec] of Object.entries(props.workflow.spec.tasks)) {
      this.functions[task] = new FundflowFunction(this, `${pascalCase(task)}Function`, { spec }).bindNeeds(
        spec.needs,
        props.resources,
      );
    }
    const definition = new props.workflow.definition(this, 'Definition', { tasks: this.functions });
    const logs = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineNameOf(stack.stackName, props.name),
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition.startState),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    (this.stateMachine.node.defaultChild as CfnResource).addMetadata(WORKFLOW_METADATA, props.name);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments and friends) and CloudWatch Logs delivery (logs:CreateLogDelivery and friends) accept no resource-level permissions.',
    });
    for (const fn of Object.values(this.functions)) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          "Step Functions invokes the task function by any version or alias of that one function (CDK's LambdaInvoke grant).",
      });
    }
  }
}
