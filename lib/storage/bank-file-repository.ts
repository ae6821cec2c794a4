import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BankFile, BankFileStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

export type { BankFile };

/**
 * The bank batch files of the payment runs: one item per file under its run's day (`RUN#<entity>#<day>`
 * / `BANKFILE#<batch id>`), so a run's files are one query and a file is one read.
 */
export class BankFileRepository implements BankFileStore {
  constructor(private readonly table: Table) {}

  async record(file: BankFile): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.bankFile(file.entityId, file.day, file.id), ...file },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(entityId: string, day: string, id: string): Promise<BankFile | null> {
    const item = await this.table.get(keys.bankFile(entityId, day, id));
    return item ? withoutKeys<BankFile>(item) : null;
  }

  async ofRun(entityId: string, day: string): Promise<BankFile[]> {
    const { pk, skPrefix } = keys.bankFilesPrefix(entityId, day);
    return (await this.table.queryPrefix(pk, skPrefix)).map((item) => withoutKeys<BankFile>(item));
  }
}
