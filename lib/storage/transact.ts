import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/model.ts';
import { newId } from '../ids.ts';
import { ChangeTooLargeError, ConcurrentUpdateError } from '../platform/store.ts';
import { auditActorIndexKeys, keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export { retryingLostRaces } from '../platform/change.ts';
// The port's errors, raised here; re-exported for the adapters and the local runtime that catch them.
export { ConcurrentUpdateError };

/** What one TransactWriteItems holds: the limit every plan of a change is checked against. */
export const MAX_TRANSACTION_ITEMS = 100;

/** Why DynamoDB cancels a transaction when another write got there first. */
const LOST_RACE = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/**
 * One TransactWriteItems: all of it or none (DESIGN.md decision 6). A failed condition — or a
 * conflict with another transaction on the same item at that instant — becomes a
 * ConcurrentUpdateError naming which items failed, so callers re-read and judge again. A plan of more
 * items than one transaction holds is refused before anything is written (ChangeTooLargeError).
 */
export async function transact(table: Table, items: TransactItem[]): Promise<void> {
  if (items.length > MAX_TRANSACTION_ITEMS)
    throw new ChangeTooLargeError(items.length, MAX_TRANSACTION_ITEMS);
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const failed = (error.CancellationReasons ?? [])
        .map((reason, index) => (LOST_RACE.has(reason.Code ?? '') ? index : -1))
        .filter((index) => index >= 0);
      if (failed.length > 0) throw new ConcurrentUpdateError(failed, { cause: error });
    }
    throw error;
  }
}

/** The audit event of a change, written in the same transaction as the change itself. */
export function auditPut(table: Table, aggregatePk: string, event: AuditEvent): TransactItem {
  const unique = newId();
  return {
    Put: {
      TableName: table.name,
      // Also under its actor (index `auditByActor`): the audit view reads what one person did.
      Item: {
        ...keys.event(aggregatePk, event.at, unique),
        ...auditActorIndexKeys(event.actor, event.at, unique),
        ...event,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Optimistic concurrency (DESIGN.md decision 6): create when `expectedVersion` is null (the item must
 * not exist yet), otherwise replace only while the stored version is still the one that was read.
 */
export function conditionalPut(
  table: Table,
  item: Record<string, unknown>,
  expectedVersion: number | null,
  versionAttribute: 'version' | 'revision' = 'version',
): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: item,
      ...(expectedVersion === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': versionAttribute },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
    },
  };
}

/** The audit events of an aggregate, oldest first. */
export async function historyOf(table: Table, aggregatePk: string): Promise<AuditEvent[]> {
  const items = await table.queryPrefix(aggregatePk, keys.eventsPrefix);
  return items.map((item) => withoutKeys<AuditEvent>(item));
}
