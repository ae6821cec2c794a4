/**
 * The task tokens of every workflow wait (DESIGN.md decision 4: the token lives server-side, never in
 * an email), keyed by (aggregate, kind): a wait of its own is a `WAIT#<kind>` item under its aggregate;
 * an approval step keeps its token on its step item, beside its decision.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConcurrentUpdateError,
  type OwnWait,
  type StepWait,
  type WaitRecord,
  type WaitRef,
  type WaitStore,
} from '../platform/store.ts';
import { aggregateKey, keys } from './keys.ts';
import type { Item, Table } from './table.ts';
import { transact } from './transact.ts';

export class WaitRepository implements WaitStore {
  constructor(private readonly table: Table) {}

  async keep(
    wait: OwnWait,
    taskToken: string,
    options: {
      while: { status: string; version: number; revision?: number };
      revision: number;
      attempt?: number;
      taskAttempt?: number;
    },
  ): Promise<boolean> {
    const { status, version, revision } = options.while;
    const aggregate = aggregateKey(wait.aggregate);
    try {
      await transact(this.table, [
        {
          ConditionCheck: {
            TableName: this.table.name,
            Key: aggregate,
            ConditionExpression: `#status = :status AND version = :version${
              revision === undefined ? '' : ' AND revision = :revision'
            }`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': status,
              ':version': version,
              ...(revision === undefined ? {} : { ':revision': revision }),
            },
          },
        },
        {
          Put: {
            TableName: this.table.name,
            Item: {
              ...keys.workflowWait(aggregate.pk, wait.kind),
              kind: wait.kind,
              taskToken,
              attempt: options.attempt ?? 0,
              taskAttempt: options.taskAttempt ?? 0,
              revision: options.revision,
            },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async keepStep(
    wait: StepWait,
    taskToken: string,
    options: { assignee: string; attempt: number; revision: number },
  ): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.approvalStep(wait.aggregate.id, wait.version, wait.step),
          UpdateExpression:
            'SET voucherId = :voucherId, version = :version, step = :step, assignee = :assignee, taskToken = :token, attempt = :attempt, voucherRevision = :revision',
          ConditionExpression: 'attribute_not_exists(decision)',
          ExpressionAttributeValues: {
            ':voucherId': wait.aggregate.id,
            ':version': wait.version,
            ':step': wait.step,
            ':assignee': options.assignee,
            ':token': taskToken,
            ':attempt': options.attempt,
            ':revision': options.revision,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(wait: WaitRef): Promise<WaitRecord | null> {
    if ('step' in wait) {
      const item = await this.table.get(keys.approvalStep(wait.aggregate.id, wait.version, wait.step));
      return item ? record(item, item.voucherRevision) : null;
    }
    const item = await this.table.get(keys.workflowWait(aggregateKey(wait.aggregate).pk, wait.kind));
    // Items written before the store was shared kept the revision as `voucherRevision`.
    return item ? record(item, item.revision ?? item.voucherRevision) : null;
  }
}

function record(item: Item, revision: unknown): WaitRecord {
  return {
    ...(typeof item.taskToken === 'string' ? { taskToken: item.taskToken } : {}),
    attempt: typeof item.attempt === 'number' ? item.attempt : 0,
    ...(typeof item.taskAttempt === 'number' ? { taskAttempt: item.taskAttempt } : {}),
    ...(typeof revision === 'number' ? { revision } : {}),
  };
}
