import type { AuditEvent, Fen, LocalDate, Voucher, VoucherStatus, WaitKind } from '../domain/model.ts';
import type { OwedDelivery, OwedStart } from '../workflow/outbox.ts';
import { keys, paymentIndexKeys, voucherIndexKeys } from './keys.ts';
import type { OrderVoucherLink } from './order-repository.ts';
import { owedPut } from './outbox-repository.ts';
import { type Page, type Table, withoutKeys } from './table.ts';
import {
  auditPut,
  ConcurrentUpdateError,
  conditionalPut,
  historyOf,
  type TransactItem,
  transact,
} from './transact.ts';

/** The workflow waits whose task tokens live beside the voucher (approval steps keep their own). */
/** A TransactWriteItems holds 100 items: a voucher and its audit event are two. */
export const MAX_VOUCHERS_PER_TRANSACTION = 50;

export interface WaitRecord {
  voucherId: string;
  version: number;
  kind: WaitKind;
  /** The current task token; never leaves the server. */
  taskToken: string;
  /** How many reminders the wait has sent (the invoice chase). */
  attempt: number;
  /** The workflow's own attempt number of the task that stored it: a retried invocation repeats it. */
  taskAttempt?: number;
  /**
   * The voucher's revision the wait read before storing its token: an owed answer written at this
   * revision or before is older than the wait (absent on tokens stored before it was kept).
   */
  voucherRevision?: number;
}

/**
 * Vouchers to one supplier on one Asia/Shanghai day (POLICY D2), one item so races show up. An entry
 * is what the day's split sum needs (same supplier, same day: the orders do not matter), so the item
 * grows by a few dozen bytes a voucher, up to `MAX_VOUCHERS_PER_SUPPLIER_DAY` (≤ 85 KB; items written
 * before kept each voucher's `orderIds`, dropped when the day is next written).
 */
export interface SupplierDay {
  supplierId: string;
  day: LocalDate;
  version: number;
  vouchers: Record<string, SupplierDayEntry>;
}

export interface SupplierDayEntry {
  amountFen: Fen;
  status: VoucherStatus;
}

/** Vouchers (rejected ones included) one supplier-day item holds: far above any real day, far below 400 KB. */
export const MAX_VOUCHERS_PER_SUPPLIER_DAY = 1000;

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
  /** The version's approval execution, owed to the workflow in the same transaction. */
  owed: OwedStart;
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

  /**
   * Whether the version's history has an event of one of `types` whose details hold `details`: how a
   * task that sends something knows it was sent already (the event is written after the send), so a
   * retry or replay neither skips a send that failed nor repeats one that went out.
   */
  async hasEvent(
    voucherId: string,
    version: number,
    types: ReadonlySet<string>,
    details: Record<string, unknown>,
  ): Promise<boolean> {
    return (await this.findEvent(voucherId, version, types, details)) !== undefined;
  }

  /** The version's first event of one of `types` whose details hold `details`, if there is one. */
  async findEvent(
    voucherId: string,
    version: number,
    types: ReadonlySet<string>,
    details: Record<string, unknown>,
  ): Promise<AuditEvent | undefined> {
    return (await this.history(voucherId)).find(
      (event) =>
        types.has(event.type) &&
        event.version === version &&
        Object.entries(details).every(([key, value]) => event.details?.[key] === value),
    );
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

  /**
   * The payment run of one day (POLICY 2.2(3), D3–D5): every voucher still waiting whose due day is
   * that day or earlier (overdue ones stay in every run until paid), and those paid or failed that day.
   */
  async paymentRun(entityId: string, date: LocalDate): Promise<Voucher[]> {
    const pages = await Promise.all([
      // `#` sorts before `$`: every sort key of the day or earlier is below `<day>$`.
      this.byPaymentDay(entityId, 'READY_FOR_PAYMENT', 'paymentSk < :day', `${date}$`),
      this.byPaymentDay(entityId, 'PAID', 'begins_with(paymentSk, :day)', `${date}#`),
      this.byPaymentDay(entityId, 'CLOSED', 'begins_with(paymentSk, :day)', `${date}#`),
      this.byPaymentDay(entityId, 'PAYMENT_FAILED', 'begins_with(paymentSk, :day)', `${date}#`),
    ]);
    return pages.flat();
  }

  /** Vouchers waiting for the run of exactly that day (POLICY D5: the candidates to pull into today's). */
  dueOn(entityId: string, date: LocalDate): Promise<Voucher[]> {
    return this.byPaymentDay(entityId, 'READY_FOR_PAYMENT', 'begins_with(paymentSk, :day)', `${date}#`);
  }

  private async byPaymentDay(
    entityId: string,
    status: VoucherStatus,
    condition: string,
    day: string,
  ): Promise<Voucher[]> {
    const items = await this.table.queryAll({
      IndexName: 'paymentsByDay',
      KeyConditionExpression: `paymentPk = :pk AND ${condition}`,
      ExpressionAttributeValues: { ':pk': `PAYMENTS#${entityId}#${status}`, ':day': day },
    });
    return items.map((item) => withoutKeys<Voucher>(item));
  }

  /** Paid vouchers still waiting for the supplier's invoice, oldest payment first (POLICY D9). */
  async awaitingInvoice(
    entityId: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<Voucher>> {
    const page = await this.table.queryPage(
      {
        IndexName: 'paymentsByDay',
        KeyConditionExpression: 'paymentPk = :pk',
        ExpressionAttributeValues: { ':pk': `PAYMENTS#${entityId}#PAID` },
        ScanIndexForward: true,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  /**
   * Keeps the task token of a workflow wait, only while the voucher is still in the status that wait
   * is for (checked in the same transaction). False when it moved on already: the caller then answers
   * the workflow itself. Whoever moves the voucher on reads the token after its own write, so one of
   * the two always answers. `revision` narrows it to the voucher exactly as read, for a wait that a
   * change without a new status ends (a pull into today's run ends the wait for the payment day).
   */
  async storeWaitToken(
    voucher: Pick<Voucher, 'id' | 'version' | 'revision'>,
    kind: WaitKind,
    expectedStatus: VoucherStatus,
    taskToken: string,
    options: { attempt?: number; taskAttempt?: number; revision?: number } = {},
  ): Promise<boolean> {
    const { revision, attempt = 0, taskAttempt = 0 } = options;
    try {
      await transact(this.table, [
        {
          ConditionCheck: {
            TableName: this.table.name,
            Key: keys.voucher(voucher.id),
            ConditionExpression: `#status = :status AND version = :version${
              revision === undefined ? '' : ' AND revision = :revision'
            }`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': expectedStatus,
              ':version': voucher.version,
              ...(revision === undefined ? {} : { ':revision': revision }),
            },
          },
        },
        {
          Put: {
            TableName: this.table.name,
            Item: {
              ...keys.workflowWait(voucher.id, voucher.version, kind),
              voucherId: voucher.id,
              version: voucher.version,
              kind,
              taskToken,
              attempt,
              taskAttempt,
              voucherRevision: voucher.revision,
            },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async waitRecord(voucherId: string, version: number, kind: WaitKind): Promise<WaitRecord | null> {
    const item = await this.table.get(keys.workflowWait(voucherId, version, kind));
    return item ? withoutKeys<WaitRecord>(item) : null;
  }

  async waitToken(voucherId: string, version: number, kind: WaitKind): Promise<string | undefined> {
    return (await this.waitRecord(voucherId, version, kind))?.taskToken;
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
    // Its execution is owed in the same transaction: a crash after this write still starts it.
    items.push(owedPut(this.table, plan.owed));
    await transact(this.table, items);
  }

  /** The voucher item with its index keys: created (null) or replaced at the revision read. */
  putItem(voucher: Voucher, expectedRevision: number | null): TransactItem {
    return conditionalPut(
      this.table,
      { ...keys.voucher(voucher.id), ...voucherIndexKeys(voucher), ...paymentIndexKeys(voucher), ...voucher },
      expectedRevision,
      'revision',
    );
  }

  /** An event that changes nothing else (an email sent, a reminder). */
  async recordEvent(voucherId: string, event: AuditEvent): Promise<void> {
    await transact(this.table, [auditPut(this.table, keys.voucher(voucherId).pk, event)]);
  }

  /**
   * A status change and its audit event (conditional on the revision read), and what it owes the
   * workflow (lib/workflow/outbox.ts).
   */
  async save(
    next: Voucher,
    expectedRevision: number,
    event: AuditEvent,
    owed: readonly OwedDelivery[] = [],
  ): Promise<void> {
    await this.saveWith(next, expectedRevision, event, [], owed);
  }

  /**
   * A status change, its audit event, further conditions (e.g. no open dispute, D7) and what it owes
   * the workflow, all or none.
   */
  async saveWith(
    next: Voucher,
    expectedRevision: number,
    event: AuditEvent,
    conditions: TransactItem[],
    owed: readonly OwedDelivery[] = [],
  ): Promise<void> {
    await transact(this.table, [
      this.putItem(next, expectedRevision),
      auditPut(this.table, keys.voucher(next.id).pk, event),
      ...conditions,
      ...owed.map((item) => owedPut(this.table, item)),
    ]);
  }

  /**
   * Several vouchers' changes, each with its audit event, in one transaction: all of them or none
   * (at most 50 changes, the 100 items of one TransactWriteItems).
   */
  async saveAll(changes: { next: Voucher; expectedRevision: number; event: AuditEvent }[]): Promise<void> {
    if (changes.length > MAX_VOUCHERS_PER_TRANSACTION) {
      throw new Error(`at most ${MAX_VOUCHERS_PER_TRANSACTION} vouchers change in one transaction`);
    }
    if (changes.length === 0) return;
    await transact(
      this.table,
      changes.flatMap(({ next, expectedRevision, event }) => [
        this.putItem(next, expectedRevision),
        auditPut(this.table, keys.voucher(next.id).pk, event),
      ]),
    );
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
  // The voucher, its event, the idempotency record, the supplier day and the owed start.
  return 5 + orderCount * 2 + escalationCount * 2;
}
