import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadRecord, UploadStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import type { TransactItem } from './transact.ts';

export type { UploadRecord };

export class UploadRepository implements UploadStore {
  constructor(private readonly table: Table) {}

  async get(key: string): Promise<UploadRecord | null> {
    const item = await this.table.get(keys.upload(key));
    return item ? withoutKeys<UploadRecord>(item) : null;
  }

  async create(record: UploadRecord): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: {
          ...keys.upload(record.key),
          ...record,
          // A file held for a form expires with its hold unless a voucher cites it (uploadKept).
          ...(record.heldUntil ? { expiresAt: Math.ceil(Date.parse(record.heldUntil) / 1000) } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}

/**
 * In a submission's transaction: a held file the voucher cites is kept for good (its hold and expiry
 * removed) — only while its record is still there, so a file that expired meanwhile fails the write.
 */
export function uploadKept(table: Table, key: string): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.upload(key),
      UpdateExpression: 'REMOVE heldUntil, expiresAt',
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}
