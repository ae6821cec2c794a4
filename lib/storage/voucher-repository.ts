import type { AuditEvent, Fen, LocalDate, Voucher, VoucherStatus } from '../domain/model.ts';
import { keys, voucherIndexKeys } from './keys.ts';
import type { OrderVoucherLink } from './order-repository.ts';
import { type Page, type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, type TransactItem, transact } from './transact.ts';

/** Vouchers to one supplier on one Asia/Shanghai day (POLICY D2), one item so races show up. */
export interface SupplierDay {
  supplierId: string;
  day: LocalDate;
  version: number;
  vouchers: Record<string, { amountFen: Fen; orderIds: string[]; status: VoucherStatus }>;
}

export interface IdempotencyRecord {
  applicant: string;
  key: string;
  requestHash: string;
  voucherId: string;
  createdAt: string;
  /** Epoch seconds (TTL). */
  expiresAt: number;
}

/** Everything one submission writes, in one transaction (POLICY D7, D2; DESIGN.md decision 6). */
export interface SubmissionPlan {
  voucher: Voucher;
  /** The revision of the rejected voucher a resubmission replaces (POLICY D19); null for a new voucher. */
  previousRevision: number | null;
  event: AuditEvent;
  idempotency: IdempotencyRecord;
  orders: { orderId: string; expectedVersion: number; allocatedFen: Fen }[];
  supplierDay: { expectedVersion: number | null; next: SupplierDay };
  /** Earlier vouchers of the same split group that now need the CEO too (conditional on their revision). */
  escalations: { voucher: Voucher; expectedRevision: number; event: AuditEvent }[];
}

export const MAX_TRANSACTION_ITEMS = 100;

export class VoucherRepository {
  constructor(private readonly table: Table) {}

  async get(voucherId: string): Promise<Voucher | null> {
    const item = await this.table.get(keys.voucher(voucherId));
    return item ? withoutKeys<Voucher>(item) : null;
  }

  async history(voucherId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.voucher(voucherId).pk);
  }

  async idempotencyRecord(applicant: string, key: string): Promise<IdempotencyRecord | null> {
    const item = await this.table.get(keys.idempotency(applicant, key));
    return item ? withoutKeys<IdempotencyRecord>(item) : null;
  }

  async supplierDay(supplierId: string, day: LocalDate): Promise<SupplierDay | null> {
    const item = await this.table.get(keys.supplierDay(supplierId, day));
    return item ? withoutKeys<SupplierDay>(item) : null;
  }

  async listByStatus(
    entityId: string,
    status: VoucherStatus,
    options: { limit: number; cursor?: string },
  ): Promise<Page<Voucher>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'vouchersByStatus',
        KeyConditionExpression: 'statusPk = :pk',
        ExpressionAttributeValues: { ':pk': `STATUS#${entityId}#${status}` },
        ScanIndexForward: true,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  /** One person's vouchers, newest first; `status` narrows a list that is bounded by one person. */
  async listByApplicant(
    applicant: string,
    options: { limit: number; cursor?: string; status?: VoucherStatus },
  ): Promise<Page<Voucher>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'vouchersByApplicant',
        KeyConditionExpression: 'applicantPk = :pk',
        ...(options.status
          ? {
              FilterExpression: '#status = :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pk': `APPLICANT#${applicant}`, ':status': options.status },
            }
          : { ExpressionAttributeValues: { ':pk': `APPLICANT#${applicant}` } }),
        ScanIndexForward: false,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  async submit(plan: SubmissionPlan): Promise<void> {
    const { voucher } = plan;
    const voucherKey = keys.voucher(voucher.id);
    const now = voucher.submittedAt;
    const items: TransactItem[] = [
      this.putItem(voucher, plan.previousRevision),
      auditPut(this.table, voucherKey.pk, plan.event),
      {
        Put: {
          TableName: this.table.name,
          Item: {
            ...keys.idempotency(plan.idempotency.applicant, plan.idempotency.key),
            ...plan.idempotency,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      conditionalPut(
        this.table,
        {
          ...keys.supplierDay(plan.supplierDay.next.supplierId, plan.supplierDay.next.day),
          ...plan.supplierDay.next,
        },
        plan.supplierDay.expectedVersion,
      ),
    ];
    for (const order of plan.orders) {
      // The claim on the order only lands if nobody changed the order since it was checked (a new
      // dispute, a re-import, another voucher's claim): POLICY D7.
      items.push({
        Update: {
          TableName: this.table.name,
          Key: keys.order(order.orderId),
          UpdateExpression:
            'SET claimedFen = claimedFen + :allocated, version = version + :one, updatedAt = :now',
          ConditionExpression: 'version = :expected AND disputeStatus <> :open',
          ExpressionAttributeValues: {
            ':allocated': order.allocatedFen,
            ':one': 1,
            ':now': now,
            ':expected': order.expectedVersion,
            ':open': 'OPEN',
          },
        },
      });
      const link: OrderVoucherLink = {
        orderId: order.orderId,
        voucherId: voucher.id,
        supplierId: voucher.supplierId,
        voucherAmountFen: voucher.amountFen,
        allocatedFen: order.allocatedFen,
        orderIds: voucher.orderIds,
        submittedOn: voucher.submittedOn,
        status: voucher.status,
      };
      // A resubmission replaces the rejected version's link (its claim was released at rejection).
      items.push({
        Put: {
          TableName: this.table.name,
          Item: { ...keys.orderVoucher(order.orderId, voucher.id), ...link },
        },
      });
    }
    for (const escalation of plan.escalations) {
      items.push(
        this.putItem(escalation.voucher, escalation.expectedRevision),
        auditPut(this.table, keys.voucher(escalation.voucher.id).pk, escalation.event),
      );
    }
    await transact(this.table, items);
  }

  /** The voucher item with its index keys: created (null) or replaced at the revision read. */
  putItem(voucher: Voucher, expectedRevision: number | null): TransactItem {
    return conditionalPut(
      this.table,
      { ...keys.voucher(voucher.id), ...voucherIndexKeys(voucher), ...voucher },
      expectedRevision,
      'revision',
    );
  }

  /** An event that changes nothing else (an email sent, a reminder). */
  async recordEvent(voucherId: string, event: AuditEvent): Promise<void> {
    await transact(this.table, [auditPut(this.table, keys.voucher(voucherId).pk, event)]);
  }

  /** A status change and its audit event (conditional on the revision read). */
  async save(next: Voucher, expectedRevision: number, event: AuditEvent): Promise<void> {
    await transact(this.table, [
      this.putItem(next, expectedRevision),
      auditPut(this.table, keys.voucher(next.id).pk, event),
    ]);
  }

  /**
   * A rejected version gives back what it claimed on its orders and leaves its split groups
   * (POLICY D2, D7, D19), together with the voucher's own change.
   */
  async releaseClaims(voucher: Voucher, next: Voucher, event: AuditEvent): Promise<void> {
    const items: TransactItem[] = [
      this.putItem(next, voucher.revision),
      auditPut(this.table, keys.voucher(voucher.id).pk, event),
    ];
    for (const allocation of voucher.allocations) {
      items.push(
        {
          Update: {
            TableName: this.table.name,
            Key: keys.order(allocation.orderId),
            UpdateExpression: 'SET claimedFen = claimedFen - :allocated, version = version + :one',
            ExpressionAttributeValues: { ':allocated': allocation.amountFen, ':one': 1 },
          },
        },
        {
          Update: {
            TableName: this.table.name,
            Key: keys.orderVoucher(allocation.orderId, voucher.id),
            UpdateExpression: 'SET #status = :rejected',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':rejected': 'REJECTED' },
          },
        },
      );
    }
    items.push({
      Update: {
        TableName: this.table.name,
        Key: keys.supplierDay(voucher.supplierId, voucher.submittedOn),
        UpdateExpression: 'SET vouchers.#id.#status = :rejected, version = version + :one',
        ConditionExpression: 'attribute_exists(vouchers.#id)',
        ExpressionAttributeNames: { '#id': voucher.id, '#status': 'status' },
        ExpressionAttributeValues: { ':rejected': 'REJECTED', ':one': 1 },
      },
    });
    await transact(this.table, items);
  }
}

/** How many items a submission writes; the use case refuses plans that would not fit one transaction. */
export function submissionItemCount(orderCount: number, escalationCount: number): number {
  return 4 + orderCount * 2 + escalationCount * 2;
}
