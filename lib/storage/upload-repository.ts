import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { UploadRecord, UploadStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

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
        Item: { ...keys.upload(record.key), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}
