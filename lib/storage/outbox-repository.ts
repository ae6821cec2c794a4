import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { toShanghaiIso } from '../domain/time.ts';
import { OUTBOX_PARTITION, type OwedDelivery } from '../platform/owed-deliveries.ts';
import type { OutboxStore, OwedDeliveryKey } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import type { TransactItem } from './transact.ts';

/**
 * The put of an owed delivery, for the transaction of the change that owes it — as `auditPut` is for
 * its audit event: the change, its event and what it owes the workflow land together or not at all.
 */
export function owedPut(table: Table, item: OwedDelivery): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: { ...keys.owedDelivery(item.createdAt, item.id), ...item },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const keyOf = (item: OwedDelivery) => keys.owedDelivery(item.createdAt, item.id);

/** The workflow outbox's items (docs/data-model.md, "The workflow outbox"). */
export class OutboxRepository implements OutboxStore {
  constructor(private readonly table: Table) {}

  /** The item at a key the stream named, if it is still owed (consistent: it was just written). */
  async get(key: OwedDeliveryKey): Promise<OwedDelivery | null> {
    if (key.pk !== OUTBOX_PARTITION) return null;
    const item = await this.table.get(key);
    return item ? withoutKeys<OwedDelivery>(item) : null;
  }

  /** What was owed before `before`, oldest first, at most `limit` items: one Query, no Scan. */
  async owedBefore(before: Date, limit: number): Promise<OwedDelivery[]> {
    const result = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND sk < :before',
        ExpressionAttributeValues: { ':pk': OUTBOX_PARTITION, ':before': toShanghaiIso(before) },
        ScanIndexForward: true,
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => withoutKeys<OwedDelivery>(item));
  }

  /** Delivered: the item goes. Already gone means another delivery got there first; nothing to do. */
  async delivered(item: OwedDelivery): Promise<void> {
    try {
      await this.table.client.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keyOf(item),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Counts a failed attempt and keeps its error, so an operator sees why an item is still owed. */
  async failedAttempt(item: OwedDelivery, error: string): Promise<void> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keyOf(item),
          UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one, lastError = :error',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':error': error.slice(0, 500) },
        }),
      );
    } catch (failure) {
      if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
    }
  }
}
