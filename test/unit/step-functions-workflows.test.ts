/**
 * The Step Functions adapter (lib/workflow/ports.ts), with faults injected (aws-sdk-client-mock), as no
 * Step Functions runs here: starting is idempotent by name, a closed token means nobody waits, any
 * other failure is thrown so the outbox keeps what it owes.
 */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowName } from '../../lib/workflow/catalogue.ts';
import { StepFunctionsWorkflows } from '../../lib/workflow/ports.ts';

const sfn = new SFNClient({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' },
});
const mock = mockClient(sfn);
afterEach(() => mock.reset());

const VOUCHER_ARN = 'arn:aws:states:cn-north-1:000000000000:stateMachine:Fundflow-Voucher';
const workflows = () => new StepFunctionsWorkflows(sfn, { voucher: VOUCHER_ARN });
const metadata = { $metadata: {} };

describe('starting an execution', () => {
  it('starts it on the ARN of its state machine, under its name, with its input', async () => {
    mock.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });

    await workflows().start('voucher', '01KVOUCHER-v1', { voucherId: '01KVOUCHER', version: 1 });

    expect(mock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: VOUCHER_ARN,
      name: '01KVOUCHER-v1',
      input: JSON.stringify({ voucherId: '01KVOUCHER', version: 1 }),
    });
  });

  it('counts an execution of that name that exists already as started', async () => {
    mock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...metadata }));

    await expect(workflows().start('voucher', '01KVOUCHER-v1', {})).resolves.toBeUndefined();
  });

  it('throws any other failure, so what is owed stays owed', async () => {
    mock
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(workflows().start('voucher', '01KVOUCHER-v1', {})).rejects.toThrow('Rate exceeded');
  });

  it('refuses a state machine this function was given no ARN for', async () => {
    await expect(workflows().start('invoiceBatch' as WorkflowName, 'x', {})).rejects.toThrow(
      'may not start the invoiceBatch workflow',
    );
    expect(mock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('answering a task token', () => {
  it('says it answered when Step Functions took the answer', async () => {
    mock.on(SendTaskSuccessCommand).resolves({});

    expect(await workflows().succeed('token', { decision: 'APPROVE' })).toBe(true);
    expect(mock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token',
      output: JSON.stringify({ decision: 'APPROVE' }),
    });
  });

  it.each([
    ['answered or replaced', new InvalidToken({ message: 'invalid', ...metadata })],
    ['timed out', new TaskTimedOut({ message: 'timed out', ...metadata })],
    ['of an execution that ended', new TaskDoesNotExist({ message: 'gone', ...metadata })],
  ])('says nobody waits when the token is closed (%s)', async (_why, error) => {
    mock.on(SendTaskSuccessCommand).rejects(error);
    mock.on(SendTaskFailureCommand).rejects(error);

    expect(await workflows().succeed('token', {})).toBe(false);
    expect(await workflows().fail('token', 'VoucherRejected', 'HEAD_OF_MERCHANDISING')).toBe(false);
  });

  it('throws any other failure, so the answer stays owed', async () => {
    mock
      .on(SendTaskFailureCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(workflows().fail('token', 'PaymentFailed', 'account closed')).rejects.toThrow(
      'Rate exceeded',
    );
  });
});
