import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Fen, OrderAllocation, PlatformOrder } from '../domain/model.ts';
import type { OrderStore, OrderVoucherLink, Page } from '../platform/store.ts';
import { completeWindow, keys, orderIndexKeys } from './keys.ts';
import { type Item, type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, type TransactItem, transact } from './transact.ts';

export type { OrderVoucherLink };

export class OrderRepository implements OrderStore {
  constructor(private readonly table: Table) {}

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

  async listBySupplier(supplierId: string, options: { limit: number }): Promise<PlatformOrder[]> {
    const prefix = keys.supplierOrdersPrefix(supplierId);
    const { items: listed } = await this.table.queryPage({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
      ScanIndexForward: false,
      Limit: options.limit,
    });
    const ids = listed.map((item) => String(item.orderId));
    const orders = await this.getMany(ids);
    // An order re-imported under another supplier is listed there now; this listing is left behind.
    return ids.flatMap((id) => {
      const order = orders.get(id);
      return order && order.supplierId === supplierId ? [order] : [];
    });
  }

  /**
   * Creates or replaces an order from the back-office import, conditional on the version read, with
   * its audit event and its listing under the supplier, in one transaction.
   */
  async save(order: PlatformOrder, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    const key = keys.order(order.orderId);
    await transact(this.table, [
      conditionalPut(this.table, { ...key, ...order, ...orderIndexKeys(order) }, expectedVersion),
      auditPut(this.table, key.pk, event),
      {
        Put: {
          TableName: this.table.name,
          Item: {
            ...keys.supplierOrder(order.supplierId, order.orderId),
            orderId: order.orderId,
            supplierId: order.supplierId,
          },
        },
      },
    ]);
  }

  /**
   * An entity's orders that became complete and recorded in `(after, upTo]`, oldest first (index
   * `ordersCompleteRecorded`, one key condition; POLICY 3.1, D10). Index reads are eventually
   * consistent: the caller leaves a margin behind the present (lib/exports/daily-export.ts).
   */
  async completeRecordedBetween(entityId: string, after: string, upTo: string): Promise<PlatformOrder[]> {
    const window = completeWindow(entityId, after, upTo);
    const items = await this.table.queryAll({
      IndexName: 'ordersCompleteRecorded',
      KeyConditionExpression: 'completePk = :pk AND completeSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': window.pk, ':from': window.from, ':to': window.to },
    });
    return items.map((item) => withoutKeys<PlatformOrder>(item));
  }

  async completeRecordedFrom(
    entityId: string,
    from: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<PlatformOrder>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'ordersCompleteRecorded',
        KeyConditionExpression: 'completePk = :pk AND completeSk >= :from',
        ExpressionAttributeValues: { ':pk': completeWindow(entityId, from, from).pk, ':from': from },
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<PlatformOrder>(item)), nextCursor: page.nextCursor };
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

// ——— The order's writes inside a voucher's transaction ———

/** A condition: the order has no open refund or dispute at the moment of the write (POLICY D7). */
export function orderHasNoOpenDispute(table: Table, orderId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keys.order(orderId),
      ConditionExpression: 'disputeStatus <> :open',
      ExpressionAttributeValues: { ':open': 'OPEN' },
    },
  };
}

/**
 * A voucher's claim on the order: it only lands if nobody changed the order since it was checked (a
 * new dispute, a re-import, another voucher's claim), POLICY D7.
 */
export function orderClaimed(
  table: Table,
  claim: { orderId: string; expectedVersion: number; allocatedFen: Fen },
  now: string,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.order(claim.orderId),
      UpdateExpression:
        'SET claimedFen = claimedFen + :allocated, version = version + :one, updatedAt = :now',
      ConditionExpression: 'version = :expected AND disputeStatus <> :open',
      ExpressionAttributeValues: {
        ':allocated': claim.allocatedFen,
        ':one': 1,
        ':now': now,
        ':expected': claim.expectedVersion,
        ':open': 'OPEN',
      },
    },
  };
}

/** The voucher's link under the order (a resubmission replaces the rejected version's). */
export function orderVoucherLinked(table: Table, link: OrderVoucherLink): TransactItem {
  return {
    Put: { TableName: table.name, Item: { ...keys.orderVoucher(link.orderId, link.voucherId), ...link } },
  };
}

/** A rejected version gives back its claim on the order, and its link says so (POLICY D7, D19). */
export function orderClaimReleased(
  table: Table,
  voucherId: string,
  allocation: OrderAllocation,
): TransactItem[] {
  return [
    {
      Update: {
        TableName: table.name,
        Key: keys.order(allocation.orderId),
        UpdateExpression: 'SET claimedFen = claimedFen - :allocated, version = version + :one',
        ExpressionAttributeValues: { ':allocated': allocation.amountFen, ':one': 1 },
      },
    },
    {
      Update: {
        TableName: table.name,
        Key: keys.orderVoucher(allocation.orderId, voucherId),
        UpdateExpression: 'SET #status = :rejected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':rejected': 'REJECTED' },
      },
    },
  ];
}
