/**
 * The approval workflow's ports. In AWS: Step Functions (StartExecution, SendTaskSuccess/Failure).
 * Locally: the same synthesized state machine under aws-local-stepfunctions, with a task-token broker
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

export interface ApprovalInput {
  voucherId: string;
  version: number;
}

/** Execution names make starting idempotent: one execution per voucher version. */
export function executionName(input: ApprovalInput): string {
  return `${input.voucherId}-v${input.version}`;
}

export interface WorkflowStarter {
  startApproval(input: ApprovalInput): Promise<void>;
}

export interface TaskTokens {
  /** False when the token is no longer waiting (decided, timed out, or replaced); nothing happens then. */
  succeed(token: string, output: unknown): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

export class StepFunctionsWorkflow implements WorkflowStarter, TaskTokens {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async startApproval(input: ApprovalInput): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(input),
          input: JSON.stringify(input),
        }),
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
