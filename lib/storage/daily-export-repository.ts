import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, LocalDate } from '../domain/model.ts';
import type { DailyExport, DailyExportStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, transact } from './transact.ts';

/** The daily exports of each entity, one partition per entity sorted by day (POLICY 3.1, D10). */
export class DailyExportRepository implements DailyExportStore {
  constructor(private readonly table: Table) {}

  async get(entityId: string, date: LocalDate): Promise<DailyExport | null> {
    const item = await this.table.get(keys.dailyExport(entityId, date));
    return item ? withoutKeys<DailyExport>(item) : null;
  }

  async latest(entityId: string): Promise<DailyExport | null> {
    // One item, newest first: the day partition holds only `DAY#` items and their audit events.
    const result = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': keys.dailyExportsPartition(entityId), ':day': 'DAY#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const [item] = result.Items ?? [];
    return item ? withoutKeys<DailyExport>(item) : null;
  }

  async list(entityId: string, from: LocalDate, to: LocalDate): Promise<DailyExport[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.dailyExportsPartition(entityId),
        ':from': keys.dailyExport(entityId, from).sk,
        ':to': keys.dailyExport(entityId, to).sk,
      },
      ConsistentRead: true,
    });
    return items.map((item) => withoutKeys<DailyExport>(item));
  }

  async create(record: DailyExport, event: AuditEvent): Promise<void> {
    const key = keys.dailyExport(record.entityId, record.date);
    // Created once: a second export of the same day is refused (`attribute_not_exists`).
    await transact(this.table, [
      conditionalPut(this.table, { ...key, ...record }, null),
      auditPut(this.table, key.pk, event),
    ]);
  }
}
