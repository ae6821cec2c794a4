/**
 * The voucher aggregate: its item (with the index keys of its access patterns), its audit events, and
 * the transactions of its changes — into which the other aggregates a change touches put their own
 * writes (the orders' claims, the supplier day, the approval steps, the outbox), each built beside its
 * own repository. Every key comes from keys.ts.
 */
import type { AwaitedAction } from '../domain/awaiting.ts';
import type { AuditEvent, LocalDate, Voucher, VoucherStatus } from '../domain/model.ts';
import type {
  DayRange,
  IdempotencyRecord,
  SubmissionPlan,
  SupplierDay,
  VoucherCondition,
  VoucherEffect,
  VoucherStore,
  VoucherWrite,
} from '../platform/store.ts';
import {
  consentEmailUsed,
  countersignAwaited,
  countersignRemoved,
  stepDecided,
  stepReopened,
} from './approval-repository.ts';
import { idempotencyPut, idempotencyRecordOf } from './idempotency-repository.ts';
import {
  awaitedRange,
  awaitingIndexKeys,
  indexPartitions,
  keys,
  paymentDays,
  paymentIndexKeys,
  voucherIndexKeys,
} from './keys.ts';
import {
  orderClaimed,
  orderClaimReleased,
  orderHasNoOpenDispute,
  orderVoucherLinked,
} from './order-repository.ts';
import { owedPut } from './outbox-repository.ts';
import { supplierDayEntryRejected, supplierDayOf, supplierDayPut } from './supplier-day-repository.ts';
import { type Page, type Table, withoutKeys } from './table.ts';
import {
  auditPut,
  conditionalPut,
  historyOf,
  MAX_TRANSACTION_ITEMS,
  type TransactItem,
  transact,
} from './transact.ts';
import { uploadKept } from './upload-repository.ts';

export class VoucherRepository implements VoucherStore {
  constructor(private readonly table: Table) {}

  async get(voucherId: string): Promise<Voucher | null> {
    const item = await this.table.get(keys.voucher(voucherId));
    return item ? withoutKeys<Voucher>(item) : null;
  }

  async history(voucherId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.voucher(voucherId).pk);
  }

  async hasEvent(
    voucherId: string,
    version: number,
    types: ReadonlySet<string>,
    details: Record<string, unknown>,
  ): Promise<boolean> {
    return (await this.findEvent(voucherId, version, types, details)) !== undefined;
  }

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

  idempotencyRecord(applicant: string, key: string): Promise<IdempotencyRecord | null> {
    return idempotencyRecordOf(this.table, applicant, key);
  }

  async lastNumberOn(entityId: string, day: LocalDate): Promise<number> {
    const item = await this.table.get(keys.voucherNumberDay(entityId, day));
    return typeof item?.last === 'number' ? item.last : 0;
  }

  async idByNumber(entityId: string, number: string): Promise<string | null> {
    const item = await this.table.get(keys.voucherNumber(entityId, number));
    return typeof item?.voucherId === 'string' ? item.voucherId : null;
  }

  supplierDay(supplierId: string, day: LocalDate): Promise<SupplierDay | null> {
    return supplierDayOf(this.table, supplierId, day);
  }

  async listByStatus(
    entityId: string,
    status: VoucherStatus,
    options: { limit: number; cursor?: string; submitted?: DayRange; newestFirst?: boolean },
  ): Promise<Page<Voucher>> {
    const days = keyDays('statusSk', options.submitted);
    const page = await this.table.queryPage(
      {
        IndexName: 'vouchersByStatus',
        KeyConditionExpression: `statusPk = :pk${days.condition}`,
        ExpressionAttributeValues: { ':pk': indexPartitions.byStatus(entityId, status), ...days.values },
        ScanIndexForward: options.newestFirst !== true,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  async listByApplicant(
    applicant: string,
    options: {
      limit: number;
      cursor?: string;
      status?: VoucherStatus;
      submitted?: DayRange;
      newestFirst?: boolean;
    },
  ): Promise<Page<Voucher>> {
    const pk = indexPartitions.byApplicant(applicant);
    const days = keyDays('applicantSk', options.submitted);
    const page = await this.table.queryPage(
      {
        IndexName: 'vouchersByApplicant',
        KeyConditionExpression: `applicantPk = :pk${days.condition}`,
        ...(options.status
          ? {
              FilterExpression: '#status = :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pk': pk, ':status': options.status, ...days.values },
            }
          : { ExpressionAttributeValues: { ':pk': pk, ...days.values } }),
        ScanIndexForward: options.newestFirst === false,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  async paymentRun(entityId: string, date: LocalDate): Promise<Voucher[]> {
    const pages = await Promise.all([
      this.byPaymentDay(entityId, 'READY_FOR_PAYMENT', 'paymentSk < :day', paymentDays.through(date)),
      this.byPaymentDay(entityId, 'PAID', 'begins_with(paymentSk, :day)', paymentDays.on(date)),
      this.byPaymentDay(entityId, 'CLOSED', 'begins_with(paymentSk, :day)', paymentDays.on(date)),
      this.byPaymentDay(entityId, 'PAYMENT_FAILED', 'begins_with(paymentSk, :day)', paymentDays.on(date)),
    ]);
    return pages.flat();
  }

  dueOn(entityId: string, date: LocalDate): Promise<Voucher[]> {
    return this.byPaymentDay(
      entityId,
      'READY_FOR_PAYMENT',
      'begins_with(paymentSk, :day)',
      paymentDays.on(date),
    );
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
      ExpressionAttributeValues: { ':pk': indexPartitions.payments(entityId, status), ':day': day },
    });
    return items.map((item) => withoutKeys<Voucher>(item));
  }

  async awaiting(email: string, action?: AwaitedAction): Promise<Voucher[]> {
    const items = await this.table.queryAll({
      IndexName: 'vouchersAwaiting',
      ...(action
        ? {
            KeyConditionExpression: 'awaitingPk = :pk AND begins_with(awaitingSk, :action)',
            ExpressionAttributeValues: {
              ':pk': indexPartitions.awaiting(email),
              ':action': awaitedRange(action),
            },
          }
        : {
            KeyConditionExpression: 'awaitingPk = :pk',
            ExpressionAttributeValues: { ':pk': indexPartitions.awaiting(email) },
          }),
    });
    return items.map((item) => withoutKeys<Voucher>(item));
  }

  async awaitingInvoice(
    entityId: string,
    options: { limit: number; cursor?: string; paid?: DayRange; newestFirst?: boolean },
  ): Promise<Page<Voucher>> {
    // `paymentSk` of a paid voucher is `<paidOn>#<id>`: the days paid bound it as the days submitted do.
    const days = keyDays('paymentSk', options.paid);
    const page = await this.table.queryPage(
      {
        IndexName: 'paymentsByDay',
        KeyConditionExpression: `paymentPk = :pk${days.condition}`,
        ExpressionAttributeValues: { ':pk': indexPartitions.payments(entityId, 'PAID'), ...days.values },
        ScanIndexForward: options.newestFirst !== true,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map((item) => withoutKeys<Voucher>(item)), nextCursor: page.nextCursor };
  }

  async submit(plan: SubmissionPlan): Promise<void> {
    const { voucher } = plan;
    const items: TransactItem[] = [
      voucherPut(this.table, voucher, plan.previousRevision),
      auditPut(this.table, keys.voucher(voucher.id).pk, plan.event),
      idempotencyPut(this.table, plan.idempotency),
      supplierDayPut(this.table, plan.supplierDay.next, plan.supplierDay.expectedVersion),
    ];
    for (const order of plan.orders) {
      items.push(
        orderClaimed(this.table, order, voucher.submittedAt),
        orderVoucherLinked(this.table, {
          orderId: order.orderId,
          voucherId: voucher.id,
          supplierId: voucher.supplierId,
          voucherAmountFen: voucher.amountFen,
          allocatedFen: order.allocatedFen,
          orderIds: voucher.orderIds,
          submittedOn: voucher.submittedOn,
          status: voucher.status,
        }),
      );
    }
    for (const escalation of plan.escalations) {
      items.push(
        voucherPut(this.table, escalation.voucher, escalation.expectedRevision),
        auditPut(this.table, keys.voucher(escalation.voucher.id).pk, escalation.event),
      );
    }
    if (plan.number) items.push(...voucherNumberGiven(this.table, plan.number, voucher.id));
    for (const key of plan.heldUploads ?? []) items.push(uploadKept(this.table, key));
    // Its execution is owed in the same transaction: a crash after this write still starts it.
    items.push(owedPut(this.table, plan.owed));
    await transact(this.table, items);
  }

  async recordEvent(voucherId: string, event: AuditEvent): Promise<void> {
    await transact(this.table, [auditPut(this.table, keys.voucher(voucherId).pk, event)]);
  }

  async save(write: VoucherWrite): Promise<void> {
    await transact(this.table, this.itemsOf(write));
  }

  async saveAll(writes: readonly VoucherWrite[]): Promise<void> {
    // As few transactions as fit, in the order given; each change stays whole within one.
    let batch: TransactItem[] = [];
    for (const write of writes) {
      const items = this.itemsOf(write);
      if (batch.length + items.length > MAX_TRANSACTION_ITEMS && batch.length > 0) {
        await transact(this.table, batch);
        batch = [];
      }
      batch.push(...items);
    }
    if (batch.length > 0) await transact(this.table, batch);
  }

  /** A change and everything that goes with it: the voucher at the revision read, its event, the rest. */
  private itemsOf(write: VoucherWrite): TransactItem[] {
    return [
      voucherPut(this.table, write.voucher, write.expectedRevision),
      auditPut(this.table, keys.voucher(write.voucher.id).pk, write.event),
      ...(write.conditions ?? []).map((condition) => conditionItem(this.table, condition)),
      ...(write.effects ?? []).flatMap((effect) => effectItems(this.table, write.voucher, effect)),
      ...(write.owed ?? []).map((owed) => owedPut(this.table, owed)),
    ];
  }
}

/**
 * The sort keys of a range of days: `<submittedAt>#<id>` (`submittedAt` is in +08:00, so its first ten
 * characters are the Asia/Shanghai day) or `<paidOn>#<id>`; `~` sorts after every character that
 * follows a day.
 */
function keyDays(
  sortKey: 'statusSk' | 'applicantSk' | 'paymentSk',
  range: DayRange | undefined,
): { condition: string; values: Record<string, string> } {
  const from = range?.from;
  const to = range?.to === undefined ? undefined : `${range.to}~`;
  if (from && to)
    return { condition: ` AND ${sortKey} BETWEEN :from AND :to`, values: { ':from': from, ':to': to } };
  if (from) return { condition: ` AND ${sortKey} >= :from`, values: { ':from': from } };
  if (to) return { condition: ` AND ${sortKey} <= :to`, values: { ':to': to } };
  return { condition: '', values: {} };
}

/** The voucher item with its index keys: created (null) or replaced at the revision read. */
export function voucherPut(table: Table, voucher: Voucher, expectedRevision: number | null): TransactItem {
  return conditionalPut(
    table,
    {
      ...keys.voucher(voucher.id),
      ...voucherIndexKeys(voucher),
      ...paymentIndexKeys(voucher),
      ...awaitingIndexKeys(voucher),
      ...voucher,
    },
    expectedRevision,
    'revision',
  );
}

/**
 * The entity's counter of the day moves on by one from the place read, and the number is claimed for
 * this voucher: two submissions that read the same place cannot both land (the later one re-reads).
 */
function voucherNumberGiven(
  table: Table,
  number: NonNullable<SubmissionPlan['number']>,
  voucherId: string,
): TransactItem[] {
  const counter = keys.voucherNumberDay(number.entityId, number.day);
  return [
    {
      Put: {
        TableName: table.name,
        Item: { ...counter, last: number.sequence },
        ...(number.expectedLast === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#last = :expected',
              ExpressionAttributeNames: { '#last': 'last' },
              ExpressionAttributeValues: { ':expected': number.expectedLast },
            }),
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: { ...keys.voucherNumber(number.entityId, number.value), voucherId, number: number.value },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

function conditionItem(table: Table, condition: VoucherCondition): TransactItem {
  switch (condition.kind) {
    case 'orderHasNoOpenDispute':
      return orderHasNoOpenDispute(table, condition.orderId);
  }
}

function effectItems(table: Table, voucher: Voucher, effect: VoucherEffect): TransactItem[] {
  switch (effect.kind) {
    case 'stepDecided':
      return [stepDecided(table, voucher.id, effect.approval, effect.assignee)];
    case 'stepsReopened':
      return effect.steps.map((step) => stepReopened(table, voucher.id, effect.version, step));
    case 'countersignAwaited':
      return [countersignAwaited(table, effect.pending)];
    case 'countersignSettled':
      return [countersignRemoved(table, effect.pending, true)];
    case 'countersignWithdrawn':
      return [countersignRemoved(table, effect.pending, false)];
    case 'consentEmailUsed':
      return [consentEmailUsed(table, effect.use)];
    case 'claimsReleased':
      return [
        ...voucher.allocations.flatMap((allocation) => orderClaimReleased(table, voucher.id, allocation)),
        supplierDayEntryRejected(table, voucher),
      ];
  }
}
