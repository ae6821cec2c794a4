import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, LocalDate } from '../domain/model.ts';
import type {
  DifferenceStatus,
  Page,
  Reconciliation,
  ReconciliationStore,
  ReconciliationWrite,
  StoredDifference,
} from '../platform/store.ts';
import { keys } from './keys.ts';
import { owedPut } from './outbox-repository.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, type TransactItem, transact } from './transact.ts';
import { uploadKept } from './upload-repository.ts';

/** BatchWriteItem's limit. */
const BATCH = 25;

/**
 * Each entity's reconciliation weeks (POLICY 3.2, D11): one partition per (entity, week) holding the
 * week's item, its audit events, its sign-off wait and the differences of each run.
 */
export class ReconciliationRepository implements ReconciliationStore {
  constructor(private readonly table: Table) {}

  async get(entityId: string, week: LocalDate): Promise<Reconciliation | null> {
    const item = await this.table.get(keys.reconciliation(entityId, week));
    return item ? withoutKeys<Reconciliation>(item) : null;
  }

  async history(entityId: string, week: LocalDate): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.reconciliation(entityId, week).pk);
  }

  async save(write: ReconciliationWrite): Promise<void> {
    const { reconciliation: r } = write;
    const key = keys.reconciliation(r.entityId, r.week);
    const items: TransactItem[] = [
      conditionalPut(this.table, { ...key, ...r }, write.expectedRevision, 'revision'),
      auditPut(this.table, key.pk, write.event),
    ];
    if (write.difference) {
      const d = write.difference;
      // Resolved once: only while it is still open (a second resolution is a lost race, re-judged).
      items.push({
        Put: {
          TableName: this.table.name,
          Item: { ...keys.reconciliationDifference(r.entityId, r.week, d.run, d.id), ...d },
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'OPEN' },
        },
      });
    }
    if (write.owed) items.push(owedPut(this.table, write.owed));
    if (write.keptUpload) items.push(uploadKept(this.table, write.keptUpload));
    await transact(this.table, items);
  }

  async putDifferences(
    entityId: string,
    week: LocalDate,
    differences: readonly StoredDifference[],
  ): Promise<void> {
    for (let from = 0; from < differences.length; from += BATCH) {
      let requests = differences.slice(from, from + BATCH).map((d) => ({
        PutRequest: { Item: { ...keys.reconciliationDifference(entityId, week, d.run, d.id), ...d } },
      }));
      // Unprocessed items (throttling) are sent again until none is left.
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.table.client.send(
          new BatchWriteCommand({ RequestItems: { [this.table.name]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.table.name] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  async getDifference(
    entityId: string,
    week: LocalDate,
    run: number,
    id: string,
  ): Promise<StoredDifference | null> {
    const item = await this.table.get(keys.reconciliationDifference(entityId, week, run, id));
    return item ? withoutKeys<StoredDifference>(item) : null;
  }

  async listDifferences(
    entityId: string,
    week: LocalDate,
    run: number,
    options: { category?: string; status?: DifferenceStatus; limit: number; cursor?: string },
  ): Promise<Page<StoredDifference>> {
    const prefix = keys.reconciliationDifferencesPrefix(entityId, week, run);
    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': prefix.pk, ':prefix': prefix.skPrefix };
    if (options.category) {
      filters.push('category = :category');
      values[':category'] = options.category;
    }
    if (options.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = options.status;
    }
    const page = await this.table.queryPage(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        Limit: options.limit,
        ConsistentRead: true,
      },
      options.cursor,
    );
    return {
      items: page.items.map((item) => withoutKeys<StoredDifference>(item)),
      nextCursor: page.nextCursor,
    };
  }

  /** Progress of a run, written by the workflow's tasks as they go (no audit event: not a decision). */
  async progress(entityId: string, week: LocalDate, progress: Reconciliation['progress']): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.reconciliation(entityId, week),
        UpdateExpression: 'SET progress = :progress',
        ExpressionAttributeValues: { ':progress': progress },
      }),
    );
  }

  /**
   * One more partition of the run matched: counted in place, since the Map state's partitions finish
   * side by side in Lambdas of their own (no task knows how many others are done).
   */
  async partitionDone(entityId: string, week: LocalDate): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.reconciliation(entityId, week),
        UpdateExpression: 'SET progress.partitionsDone = progress.partitionsDone + :one',
        ConditionExpression: 'attribute_exists(progress.partitionsDone)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
