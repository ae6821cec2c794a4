import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Fen, LocalDate, PlatformOrder, VoucherStatus } from '../domain/model.ts';
import { keys } from './keys.ts';
import { type Item, type Table, withoutKeys } from './table.ts';
import { historyOf, saveWithAudit, type TransactItem } from './transact.ts';

/** A voucher's claim on one order, stored under the order (split aggregation, POLICY D2). */
export interface OrderVoucherLink {
  orderId: string;
  voucherId: string;
  supplierId: string;
  voucherAmountFen: Fen;
  allocatedFen: Fen;
  orderIds: string[];
  submittedOn: LocalDate;
  status: VoucherStatus;
}

export class OrderRepository {
  constructor(private readonly table: Table) {}

  /** A transaction condition: the order has no open refund or dispute at the moment of the write (D7). */
  noOpenDispute(orderId: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.table.name,
        Key: keys.order(orderId),
        ConditionExpression: 'disputeStatus <> :open',
        ExpressionAttributeValues: { ':open': 'OPEN' },
      },
    };
  }

  async get(orderId: string): Promise<PlatformOrder | null> {
    const item = await this.table.get(keys.order(orderId));
    return item ? withoutKeys<PlatformOrder>(item) : null;
  }

  /** Strongly consistent batch read (orders a voucher references; at most a few dozen). */
  async getMany(orderIds: readonly string[]): Promise<Map<string, PlatformOrder>> {
    const found = new Map<string, PlatformOrder>();
    const unique = [...new Set(orderIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = {
        [this.table.name]: {
          Keys: unique.slice(start, start + 100).map((id) => keys.order(id)),
          ConsistentRead: true,
        },
      };
      while (request && Object.keys(request).length > 0) {
        const result = await this.table.client.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.table.name] ?? []) {
          const order = withoutKeys<PlatformOrder>(item);
          found.set(order.orderId, order);
        }
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /** Creates or replaces an order from the back-office import; conditional on the version read. */
  async save(order: PlatformOrder, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    await saveWithAudit(this.table, keys.order(order.orderId), order, expectedVersion, event);
  }

  async voucherLinks(orderId: string): Promise<OrderVoucherLink[]> {
    const prefix = keys.orderVouchersPrefix(orderId);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<OrderVoucherLink>(item));
  }

  async history(orderId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.order(orderId).pk);
  }
}
