import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

/** Who asked to upload which evidence file: a voucher may only cite its own applicant's uploads. */
export interface UploadRecord {
  key: string;
  owner: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export class UploadRepository {
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
