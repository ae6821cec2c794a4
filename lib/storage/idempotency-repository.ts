/**
 * Idempotency records of submissions: written in the same transaction as the voucher they created, so
 * a crash between the two cannot leave a key pointing at nothing (README, "Idempotency").
 */
import type { IdempotencyRecord } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import type { TransactItem } from './transact.ts';

export async function idempotencyRecordOf(
  table: Table,
  applicant: string,
  key: string,
): Promise<IdempotencyRecord | null> {
  const item = await table.get(keys.idempotency(applicant, key));
  return item ? withoutKeys<IdempotencyRecord>(item) : null;
}

/** Once per key: a second submission with the same key loses the race and is judged as a replay. */
export function idempotencyPut(table: Table, record: IdempotencyRecord): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: { ...keys.idempotency(record.applicant, record.key), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
