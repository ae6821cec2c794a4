/**
 * The workflow ports, for every state machine of the catalogue (lib/workflow/catalogue.ts). In AWS:
 * Step Functions (StartExecution, SendTaskSuccess/Failure), each state machine by its own ARN. Locally:
 * the synthesized state machines under aws-local-stepfunctions, with a task-token broker
 * (lib/local/workflow-engine.ts).
 */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { WorkflowName } from './catalogue.ts';

export type { WorkflowStart } from '../platform/owed-deliveries.ts';

export interface Workflows {
  /** Idempotent: an execution of that name that exists already counts as started. */
  start(machine: WorkflowName, executionName: string, input: unknown): Promise<void>;
}

export interface TaskTokens {
  /** False when the token is no longer waiting (decided, timed out, or replaced); nothing happens then. */
  succeed(token: string, output: unknown): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

export class StepFunctionsWorkflows implements Workflows, TaskTokens {
  /** `stateMachineArns`: the ARN of each state machine this function may use (its needs). */
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArns: Readonly<Partial<Record<string, string>>>,
  ) {}

  async start(machine: WorkflowName, executionName: string, input: unknown): Promise<void> {
    const stateMachineArn = this.stateMachineArns[machine];
    // A wiring bug, not the caller's: this function's needs do not name that state machine.
    if (!stateMachineArn) throw new Error(`this function may not start the ${machine} workflow (its needs)`);
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  succeed(token: string, output: unknown): Promise<boolean> {
    return this.closed(
      this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
    );
  }

  fail(token: string, error: string, cause: string): Promise<boolean> {
    return this.closed(this.sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause })));
  }

  private async closed(send: Promise<unknown>): Promise<boolean> {
    try {
      await send;
      return true;
    } catch (error) {
      // The wait is over (answered, timed out, or its execution ended): nothing waits for this answer.
      if (
        error instanceof InvalidToken ||
        error instanceof TaskTimedOut ||
        error instanceof TaskDoesNotExist
      ) {
        return false;
      }
      throw error;
    }
  }
}
