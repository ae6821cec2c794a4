/**
 * Customer invoice requests (POLICY 4): the request item with the keys of its two indexes, its audit
 * events, the per-order claim items that keep an order on one request only, and the idempotency
 * records of their recording. Every key comes from keys.ts.
 */
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { InvoiceRequest, InvoiceRequestStatus } from '../domain/invoice-request.ts';
import type { AuditEvent, LocalDate } from '../domain/model.ts';
import type { OwedDelivery } from '../platform/owed-deliveries.ts';
import {
  ConcurrentUpdateError,
  type InvoiceBatchCounters,
  type InvoiceBatchRecord,
  type InvoiceBatchStore,
  type InvoiceIdempotencyRecord,
  type InvoiceOrderClaim,
  type InvoiceRequestRecording,
  type InvoiceRequestStore,
  type InvoiceRequestWrite,
} from '../platform/store.ts';
import { invoicePartitions, invoiceRequestIndexKeys, keys } from './keys.ts';
import { owedPut } from './outbox-repository.ts';
import { type Page, type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, type TransactItem, transact } from './transact.ts';

/** BatchGetItem reads at most this many keys a call. */
const BATCH_GET_LIMIT = 100;

/** D12: the batch item is absent — the close has not happened (a close that lands first cancels the write). */
function batchStillOpen(table: Table, batch: { entityId: string; batchDate: string }): TransactItem {
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keys.invoiceBatch(batch.entityId, batch.batchDate),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Closed batches: the item the close writes once, with its audit event beside it. */
export class InvoiceBatchRepository implements InvoiceBatchStore {
  constructor(private readonly table: Table) {}

  async get(entityId: string, batchDate: LocalDate): Promise<InvoiceBatchRecord | null> {
    const item = await this.table.get(keys.invoiceBatch(entityId, batchDate));
    return item ? withoutKeys<InvoiceBatchRecord>(item) : null;
  }

  async close(
    batch: InvoiceBatchRecord,
    event: AuditEvent,
    owed: readonly OwedDelivery[] = [],
  ): Promise<boolean> {
    const key = keys.invoiceBatch(batch.entityId, batch.batchDate);
    try {
      await transact(this.table, [
        conditionalPut(this.table, { ...key, ...batch }, null, 'revision'),
        auditPut(this.table, key.pk, event),
        ...owed.map((item) => owedPut(this.table, item)),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && (await this.get(batch.entityId, batch.batchDate)))
        return false;
      throw error;
    }
  }

  history(entityId: string, batchDate: LocalDate): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.invoiceBatch(entityId, batchDate).pk);
  }
}

export class InvoiceRequestRepository implements InvoiceRequestStore {
  constructor(private readonly table: Table) {}

  async get(requestId: string): Promise<InvoiceRequest | null> {
    const item = await this.table.get(keys.invoiceRequest(requestId));
    return item ? withoutKeys<InvoiceRequest>(item) : null;
  }

  history(requestId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.invoiceRequest(requestId).pk);
  }

  async idempotencyRecord(person: string, key: string): Promise<InvoiceIdempotencyRecord | null> {
    const item = await this.table.get(keys.invoiceIdempotency(person, key));
    return item ? withoutKeys<InvoiceIdempotencyRecord>(item) : null;
  }

  async claimsOf(orderIds: readonly string[]): Promise<Map<string, InvoiceOrderClaim>> {
    const claims = new Map<string, InvoiceOrderClaim>();
    const unique = [...new Set(orderIds)];
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] | undefined = unique
        .slice(start, start + BATCH_GET_LIMIT)
        .map((orderId) => keys.invoiceOrderClaim(orderId));
      while (pending && pending.length > 0) {
        const result: BatchGetCommandOutput = await this.table.client.send(
          new BatchGetCommand({
            RequestItems: { [this.table.name]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of result.Responses?.[this.table.name] ?? []) {
          const claim = withoutKeys<InvoiceOrderClaim>(item);
          claims.set(claim.orderId, claim);
        }
        pending = result.UnprocessedKeys?.[this.table.name]?.Keys;
      }
    }
    return claims;
  }

  async listByStatus(
    entityId: string,
    status: InvoiceRequestStatus,
    options: { limit: number; cursor?: string; batchDate?: LocalDate },
  ): Promise<Page<InvoiceRequest>> {
    const pk = invoicePartitions.byStatus(entityId, status);
    const page = await this.table.queryPage(
      {
        IndexName: 'invoiceRequestsByStatus',
        ...(options.batchDate
          ? {
              KeyConditionExpression: 'invoiceStatusPk = :pk AND begins_with(invoiceStatusSk, :batch)',
              ExpressionAttributeValues: { ':pk': pk, ':batch': `${options.batchDate}#` },
            }
          : { KeyConditionExpression: 'invoiceStatusPk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
        Limit: options.limit,
      },
      options.cursor,
    );
    return {
      items: page.items.map((item) => withoutKeys<InvoiceRequest>(item)),
      nextCursor: page.nextCursor,
    };
  }

  async listByBatch(
    entityId: string,
    batchDate: LocalDate,
    options: { limit: number; cursor?: string },
  ): Promise<Page<InvoiceRequest>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'invoiceRequestsByBatch',
        KeyConditionExpression: 'invoiceBatchPk = :pk',
        ExpressionAttributeValues: { ':pk': invoicePartitions.byBatch(entityId, batchDate) },
        Limit: options.limit,
      },
      options.cursor,
    );
    return {
      items: page.items.map((item) => withoutKeys<InvoiceRequest>(item)),
      nextCursor: page.nextCursor,
    };
  }

  async listFlagged(
    entityId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<InvoiceRequest>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'invoiceRequestsFlagged',
        KeyConditionExpression: 'invoiceFlagPk = :pk',
        ExpressionAttributeValues: { ':pk': invoicePartitions.flagged(entityId) },
        Limit: options.limit,
      },
      options.cursor,
    );
    return {
      items: page.items.map((item) => withoutKeys<InvoiceRequest>(item)),
      nextCursor: page.nextCursor,
    };
  }

  async record(plan: InvoiceRequestRecording): Promise<void> {
    const items: TransactItem[] = [
      conditionalPut(this.table, this.itemOf(plan.request), null, 'revision'),
      auditPut(this.table, keys.invoiceRequest(plan.request.id).pk, plan.event),
      {
        Put: {
          TableName: this.table.name,
          Item: {
            ...keys.invoiceIdempotency(plan.idempotency.person, plan.idempotency.key),
            ...plan.idempotency,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // POLICY 4: no order invoiced twice — each claim lands only where none is; one lost claim
      // cancels the whole recording.
      ...(plan.batchStillOpen ? [batchStillOpen(this.table, plan.batchStillOpen)] : []),
      ...plan.claims.map(
        (claim): TransactItem => ({
          Put: {
            TableName: this.table.name,
            Item: { ...keys.invoiceOrderClaim(claim.orderId), ...claim },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ),
    ];
    await transact(this.table, items);
  }

  async save(write: InvoiceRequestWrite): Promise<void> {
    await transact(this.table, this.writeItems(write));
  }

  async saveAll(writes: readonly InvoiceRequestWrite[]): Promise<void> {
    for (const write of writes) await this.save(write);
  }

  private writeItems(write: InvoiceRequestWrite): TransactItem[] {
    const taken = write.invoiceNumberTaken;
    return [
      ...(write.batchStillOpen ? [batchStillOpen(this.table, write.batchStillOpen)] : []),
      conditionalPut(this.table, this.itemOf(write.request), write.expectedRevision, 'revision'),
      auditPut(this.table, keys.invoiceRequest(write.request.id).pk, write.event),
      ...(taken
        ? [
            {
              Put: {
                TableName: this.table.name,
                Item: { ...keys.issuedInvoiceNumber(taken.invoiceNumber), ...taken },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            } satisfies TransactItem,
          ]
        : []),
      ...(write.batchCounters ? [this.countersUpdate(write.batchCounters)] : []),
      ...(write.owed ?? []).map((item) => owedPut(this.table, item)),
      // Issue 13 §4: the red invoice frees the orders — only the claims this request holds.
      ...(write.claimsReleased?.orderIds ?? []).map(
        (orderId): TransactItem => ({
          Delete: {
            TableName: this.table.name,
            Key: keys.invoiceOrderClaim(orderId),
            ConditionExpression: 'requestId = :request',
            ExpressionAttributeValues: { ':request': write.claimsReleased?.requestId },
          },
        }),
      ),
    ];
  }

  /** The closed batch's counters, only while the batch is at the revision the change read. */
  private countersUpdate(counters: InvoiceBatchCounters): TransactItem {
    return {
      Update: {
        TableName: this.table.name,
        Key: keys.invoiceBatch(counters.entityId, counters.batchDate),
        UpdateExpression: 'SET withFinance = :withFinance, unmailed = :unmailed, revision = :next',
        ConditionExpression: 'revision = :read',
        ExpressionAttributeValues: {
          ':withFinance': counters.withFinance,
          ':unmailed': counters.unmailed,
          ':next': counters.expectedRevision + 1,
          ':read': counters.expectedRevision,
        },
      },
    };
  }

  async invoiceNumberHolder(invoiceNumber: string): Promise<string | null> {
    const item = await this.table.get(keys.issuedInvoiceNumber(invoiceNumber));
    return typeof item?.requestId === 'string' ? item.requestId : null;
  }

  private itemOf(request: InvoiceRequest): Record<string, unknown> {
    return { ...keys.invoiceRequest(request.id), ...invoiceRequestIndexKeys(request), ...request };
  }
}
