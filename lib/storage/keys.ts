/**
 * Every key of the one table, in one place. docs/data-model.md lists the access pattern each serves.
 */
import { type AwaitedAction, whoVoucherAwaits } from '../domain/awaiting.ts';
import type { Payment, Voucher, VoucherStatus } from '../domain/model.ts';
import { OUTBOX_PARTITION } from '../platform/owed-deliveries.ts';
import type { AggregateRef } from '../platform/store.ts';

export const SEP = '#';

export const keys = {
  entity: (entityId: string) => ({ pk: `ENTITY#${entityId}`, sk: 'PROFILE' }),
  /** One partition listing the legal entities (a handful), for the daily jobs that go through them all. */
  entityListing: (entityId: string) => ({ pk: 'ENTITIES', sk: `ENTITY#${entityId}` }),
  entityMember: (entityId: string, email: string) => ({ pk: `ENTITY#${entityId}`, sk: `PERSON#${email}` }),
  entityMembersPrefix: (entityId: string) => ({ pk: `ENTITY#${entityId}`, skPrefix: 'PERSON#' }),
  person: (email: string) => ({ pk: `PERSON#${email}`, sk: 'PROFILE' }),
  supplier: (supplierId: string) => ({ pk: `SUPPLIER#${supplierId}`, sk: 'PROFILE' }),
  /** A copy of the supplier under its entity, written with it: the entity's suppliers to pick from. */
  entitySupplier: (entityId: string, supplierId: string) => ({
    pk: `ENTITY#${entityId}`,
    sk: `SUPPLIER#${supplierId}`,
  }),
  entitySuppliersPrefix: (entityId: string) => ({ pk: `ENTITY#${entityId}`, skPrefix: 'SUPPLIER#' }),
  /** An order listed under its supplier, written with the order: the supplier's orders to pick from. */
  supplierOrder: (supplierId: string, orderId: string) => ({
    pk: `SUPPLIER#${supplierId}`,
    sk: `ORDER#${orderId}`,
  }),
  supplierOrdersPrefix: (supplierId: string) => ({ pk: `SUPPLIER#${supplierId}`, skPrefix: 'ORDER#' }),
  /** Vouchers to one supplier on one Asia/Shanghai day, for split aggregation (POLICY D2). */
  supplierDay: (supplierId: string, day: string) => ({ pk: `SUPPLIER#${supplierId}`, sk: `DAY#${day}` }),
  /** A supplier change request (POLICY D8), under its supplier: `CHANGE#<id>` (ids are ULIDs: by age). */
  supplierChange: (supplierId: string, changeId: string) => ({
    pk: `SUPPLIER#${supplierId}`,
    sk: `CHANGE#${changeId}`,
  }),
  supplierChangesPrefix: (supplierId: string) => ({ pk: `SUPPLIER#${supplierId}`, skPrefix: 'CHANGE#' }),
  /** A pending supplier change listed under its entity (finance's review list, D8); gone once reviewed. */
  entityPendingChange: (entityId: string, supplierId: string, changeId: string) => ({
    pk: `ENTITY#${entityId}`,
    sk: `PENDINGCHANGE#${supplierId}#${changeId}`,
  }),
  entityPendingChangesPrefix: (entityId: string) => ({
    pk: `ENTITY#${entityId}`,
    skPrefix: 'PENDINGCHANGE#',
  }),
  order: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'PROFILE' }),
  orderVoucher: (orderId: string, voucherId: string) => ({
    pk: `ORDER#${orderId}`,
    sk: `VOUCHER#${voucherId}`,
  }),
  orderVouchersPrefix: (orderId: string) => ({ pk: `ORDER#${orderId}`, skPrefix: 'VOUCHER#' }),
  voucher: (voucherId: string) => ({ pk: `VOUCHER#${voucherId}`, sk: 'VOUCHER' }),
  /** Audit events live beside the thing they describe: `EVENT#<at>#<unique>` sorts by time. */
  event: (aggregatePk: string, at: string, unique: string) => ({
    pk: aggregatePk,
    sk: `EVENT#${at}#${unique}`,
  }),
  eventsPrefix: 'EVENT#',
  /** One approval step of one voucher version: who holds it, its task token, its decision. */
  approvalStep: (voucherId: string, version: number, step: string) => ({
    pk: `VOUCHER#${voucherId}`,
    sk: `STEP#${String(version).padStart(6, '0')}#${step}`,
  }),
  /**
   * The task token of a workflow wait with an item of its own, beside the aggregate it waits on
   * (`aggregatePk`): one per kind, the kind carrying the version of a versioned aggregate — a voucher's
   * `<version:6>#PAYMENT` (the cashier), `#PAYMENT_DAY`, `#PAYMENT_RETRY` (finance on a failed
   * payment), `#SUPPLIER_INVOICE`. Approval steps keep their tokens on their step items.
   */
  workflowWait: (aggregatePk: string, kind: string) => ({ pk: aggregatePk, sk: `WAIT#${kind}` }),
  /** A delivery owed to the workflow, until delivered: sorted by age (`<createdAt>#<ulid>`). */
  owedDelivery: (createdAt: string, id: string) => ({ pk: OUTBOX_PARTITION, sk: `${createdAt}#${id}` }),
  /** Delegations are kept under the person who delegates (POLICY D18). */
  delegation: (from: string, id: string) => ({ pk: `PERSON#${from}`, sk: `DELEGATION#${id}` }),
  delegationsPrefix: (from: string) => ({ pk: `PERSON#${from}`, skPrefix: 'DELEGATION#' }),
  /** A travelling approver's named proxies (POLICY D6), kept under the approver, like delegations. */
  proxyAssignment: (approver: string, id: string) => ({ pk: `PERSON#${approver}`, sk: `PROXY#${id}` }),
  proxyAssignmentsPrefix: (approver: string) => ({ pk: `PERSON#${approver}`, skPrefix: 'PROXY#' }),
  /** A consent email (by its DKIM signature) that has been used for a proxy approval: once only (D6). */
  consentEmailUse: (signatureId: string) => ({ pk: `CONSENT#${signatureId}`, sk: 'CONSENT' }),
  /** Proxy approvals awaiting the approver's countersign (D6): one partition, listed per approver. */
  pendingCountersign: (approver: string, voucherId: string, version: number, step: string) => ({
    pk: 'COUNTERSIGN#PENDING',
    sk: `${approver}#${voucherId}#${String(version).padStart(6, '0')}#${step}`,
  }),
  pendingCountersignsPrefix: (approver?: string) => ({
    pk: 'COUNTERSIGN#PENDING',
    skPrefix: approver ? `${approver}#` : '',
  }),
  /**
   * The short numbers of one entity (lib/domain/voucher-number.ts), in one partition: the counter of
   * a day (`last` = the last place given) and each number given (→ its voucher), both written in the
   * submission's transaction.
   */
  voucherNumberDay: (entityId: string, day: string) => ({ pk: `VOUCHERNO#${entityId}`, sk: `DAY#${day}` }),
  voucherNumber: (entityId: string, number: string) => ({
    pk: `VOUCHERNO#${entityId}`,
    sk: `NUMBER#${number}`,
  }),
  idempotency: (applicant: string, key: string) => ({
    pk: `IDEMPOTENCY#${applicant}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  upload: (key: string) => ({ pk: `UPLOAD#${key}`, sk: 'UPLOAD' }),
  policy: (entityId: string, version: number) => ({
    pk: `POLICY#${entityId}`,
    sk: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  policyPrefix: (entityId: string) => ({ pk: `POLICY#${entityId}`, skPrefix: 'VERSION#' }),
  /** A unit of work a scheduled job has done (a day, a day and entity), so a repeated run skips it. */
  jobRun: (job: string, unit: string) => ({ pk: `JOBRUN#${job}`, sk: unit }),
  calendarOverride: (day: string) => ({ pk: 'CALENDAR', sk: `DAY#${day}` }),
  /** A customer's invoice request (POLICY 4); its audit events beside it. */
  invoiceRequest: (requestId: string) => ({ pk: `INVREQ#${requestId}`, sk: 'REQUEST' }),
  /**
   * The one invoice request an order is on (POLICY 4: no order invoiced twice), under the order: put
   * only if absent, in the request's own transaction, so two requests for one order cannot both land.
   */
  invoiceOrderClaim: (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'INVOICE_CLAIM' }),
  /** A fully digital invoice number (nationally unique), held by the one request it was issued for. */
  issuedInvoiceNumber: (invoiceNumber: string) => ({ pk: `INVOICE#${invoiceNumber}`, sk: 'INVOICE' }),
  /** Idempotency of recorded invoice requests, per person and key (a voucher's keys are apart). */
  invoiceIdempotency: (person: string, key: string) => ({
    pk: `IDEMPOTENCY#INVREQ#${person}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  /** One entity's invoice batch of one batch day (D12, D13). */
  invoiceBatch: (entityId: string, batchDate: string) => ({
    pk: `INVBATCH#${entityId}#${batchDate}`,
    sk: 'BATCH',
  }),
  /** A bank batch file exported from one day's run of an entity, by its batch id (a ULID: sorts by time). */
  bankFile: (entityId: string, day: string, id: string) => ({
    pk: `RUN#${entityId}#${day}`,
    sk: `BANKFILE#${id}`,
  }),
  bankFilesPrefix: (entityId: string, day: string) => ({
    pk: `RUN#${entityId}#${day}`,
    skPrefix: 'BANKFILE#',
  }),
  /** One entity's daily export of one day (POLICY 3.1, D10); the partition lists them by day. */
  dailyExport: (entityId: string, date: string) => ({ pk: `EXPORTS#${entityId}`, sk: `DAY#${date}` }),
  dailyExportsPartition: (entityId: string) => `EXPORTS#${entityId}`,
  calendarPrefix: { pk: 'CALENDAR', skPrefix: 'DAY#' },
  /** One entity's reconciliation of one week (POLICY 3.2, D11): the week's item, its events, waits, differences. */
  reconciliation: (entityId: string, week: string) => ({ pk: `RECON#${entityId}#${week}`, sk: 'RECON' }),
  /** A difference of one run of a week, by its stable id (`DIFF#<run:6>#<id>`: one run is a prefix). */
  reconciliationDifference: (entityId: string, week: string, run: number, id: string) => ({
    pk: `RECON#${entityId}#${week}`,
    sk: `DIFF#${String(run).padStart(6, '0')}#${id}`,
  }),
  reconciliationDifferencesPrefix: (entityId: string, week: string, run: number) => ({
    pk: `RECON#${entityId}#${week}`,
    skPrefix: `DIFF#${String(run).padStart(6, '0')}#`,
  }),
  /** A year's official schedule an administrator loaded (POLICY D16). */
  calendarYear: (year: number) => ({ pk: 'CALENDAR', sk: `YEAR#${year}` }),
  calendarYearsPrefix: { pk: 'CALENDAR', skPrefix: 'YEAR#' },
  /**
   * The calendar's revision, bumped by every change (conditional on the one read): readers keep the
   * calendar while it is unchanged, and two changes at once cannot both land.
   */
  calendarStamp: { pk: 'CALENDAR', sk: 'STAMP' },
} as const;

/** The main item of an aggregate a wait or a condition is about. */
export function aggregateKey(ref: AggregateRef): { pk: string; sk: string } {
  switch (ref.type) {
    case 'voucher':
      return keys.voucher(ref.id);
    case 'invoiceBatch': {
      // `<entityId>#<batchDate>`: the date is the last 10 characters (an entity id has no `#`).
      const cut = ref.id.lastIndexOf('#');
      return keys.invoiceBatch(ref.id.slice(0, cut), ref.id.slice(cut + 1));
    }
    case 'reconciliation': {
      const [entityId = '', week = ''] = ref.id.split('#');
      return keys.reconciliation(entityId, week);
    }
  }
}

/** Partition values of the voucher indexes, for the writes below and the queries of the repository. */
export const indexPartitions = {
  /** `vouchersByStatus`: an entity's vouchers in one status. */
  byStatus: (entityId: string, status: VoucherStatus) => `STATUS#${entityId}#${status}`,
  /** `vouchersByApplicant`: one person's vouchers. */
  byApplicant: (applicant: string) => `APPLICANT#${applicant}`,
  /** `paymentsByDay`: an entity's vouchers of one status in the payment runs. */
  payments: (entityId: string, status: VoucherStatus) => `PAYMENTS#${entityId}#${status}`,
  /** `vouchersAwaiting`: the vouchers waiting for one person. */
  awaiting: (email: string) => `AWAITING#${email}`,
};

/** Partition values of the invoice request indexes. */
export const invoicePartitions = {
  /** `invoiceRequestsByStatus`: an entity's requests in one status. */
  byStatus: (entityId: string, status: string) => `INVREQ#${entityId}#${status}`,
  /** `invoiceRequestsByBatch`: an entity's requests of one batch. */
  byBatch: (entityId: string, batchDate: string) => `INVBATCH#${entityId}#${batchDate}`,
  /** `invoiceRequestsFlagged`: an entity's requests with an open red-letter flag. */
  flagged: (entityId: string) => `INVFLAG#${entityId}`,
};

/** A request without a batch (waiting for its orders) sorts after every batch day. */
const NO_BATCH = '9999-12-31';

/**
 * GSI attributes of an invoice request: by status (sorted `<batchDate>#<recordedAt>#<id>`, so one
 * status of one batch is a prefix), and by batch while it has one.
 */
export function invoiceRequestIndexKeys(r: {
  id: string;
  number: string;
  entityId: string;
  status: string;
  batchDate: string | null;
  recordedAt: string;
  redLetter?: { status: string; flaggedAt: string };
}) {
  return {
    ...(r.redLetter?.status === 'FLAGGED'
      ? {
          invoiceFlagPk: invoicePartitions.flagged(r.entityId),
          invoiceFlagSk: `${r.redLetter.flaggedAt}#${r.id}`,
        }
      : {}),
    invoiceStatusPk: invoicePartitions.byStatus(r.entityId, r.status),
    invoiceStatusSk: `${r.batchDate ?? NO_BATCH}#${r.recordedAt}#${r.id}`,
    ...(r.batchDate
      ? { invoiceBatchPk: invoicePartitions.byBatch(r.entityId, r.batchDate), invoiceBatchSk: r.number }
      : {}),
  };
}

/**
 * GSI attributes of a voucher that waits for one person (index `vouchersAwaiting`, sparse): the
 * person, then what for and since when — `<action>#<updatedAt>#<id>`, so each kind of work is one
 * range, oldest first. Derived from the voucher at every put, so it moves with the voucher.
 */
export function awaitingIndexKeys(
  v: Pick<Voucher, 'id' | 'status' | 'applicant' | 'route' | 'approvals' | 'version' | 'updatedAt'>,
): { awaitingPk: string; awaitingSk: string } | Record<string, never> {
  const awaited = whoVoucherAwaits(v);
  return awaited
    ? {
        awaitingPk: indexPartitions.awaiting(awaited.email),
        awaitingSk: `${awaitedRange(awaited.action)}${v.updatedAt}#${v.id}`,
      }
    : {};
}

/** The `awaitingSk` prefix of one kind of work. */
export const awaitedRange = (action: AwaitedAction) => `${action}#`;

/**
 * GSI attributes of an order that is complete and recorded (index `ordersCompleteRecorded`, sparse:
 * an order not yet complete, or of no entity, has none): one partition per entity, sorted by the
 * instant it became complete and recorded (POLICY 3.1, D10).
 */
export function orderIndexKeys(order: {
  orderId: string;
  entityId?: string | undefined;
  completeRecordedAt?: string | undefined;
}): { completePk: string; completeSk: string } | Record<string, never> {
  return order.entityId && order.completeRecordedAt
    ? {
        completePk: `COMPLETE#${order.entityId}`,
        completeSk: `${order.completeRecordedAt}#${order.orderId}`,
      }
    : {};
}

/**
 * GSI attributes of an audit event (index `auditByActor`): its actor, sorted `<at>#<unique>` — the
 * same unique part as its own sort key, so two events of one instant stay two.
 */
export function auditActorIndexKeys(actor: string, at: string, unique: string) {
  return { auditActorPk: auditActorPartition(actor), auditActorSk: `${at}#${unique}` };
}

export const auditActorPartition = (actor: string) => `ACTOR#${actor}`;

/** `completeSk` bounds of a window `(after, upTo]` (instants of one format sort as text). */
export const completeWindow = (entityId: string, after: string, upTo: string) => ({
  pk: `COMPLETE#${entityId}`,
  // `#` sorts before `$`: `<after>$` is above every key of `after` itself, `<upTo>$` above those of `upTo`.
  from: `${after}$`,
  to: `${upTo}$`,
});

/** `paymentSk` bounds (`<day>#<voucherId>`): one day's, and every day's up to and including one. */
export const paymentDays = {
  on: (day: string) => `${day}#`,
  // `#` sorts before `$`: every sort key of the day or earlier is below `<day>$`.
  through: (day: string) => `${day}$`,
};

/** GSI attributes of a voucher (indexes `vouchersByStatus`, `vouchersByApplicant`). */
export function voucherIndexKeys(v: {
  id: string;
  entityId: string;
  status: VoucherStatus;
  applicant: string;
  submittedAt: string;
}) {
  return {
    statusPk: indexPartitions.byStatus(v.entityId, v.status),
    statusSk: `${v.submittedAt}#${v.id}`,
    applicantPk: indexPartitions.byApplicant(v.applicant),
    applicantSk: `${v.submittedAt}#${v.id}`,
  };
}

/**
 * GSI attributes of a voucher in the payment runs (index `paymentsByDay`; POLICY 2.2(3), D3–D5, D9):
 * one partition per entity and voucher status, sorted by the day that places it — the due day while it
 * waits, the day paid once paid (PAID: still awaiting the supplier's invoice; CLOSED), the day it failed.
 */
export function paymentIndexKeys(v: {
  id: string;
  entityId: string;
  status: VoucherStatus;
  payment?: Payment;
}): { paymentPk: string; paymentSk: string } | Record<string, never> {
  const day = paymentDay(v.status, v.payment);
  return day
    ? {
        paymentPk: indexPartitions.payments(v.entityId, v.status),
        paymentSk: `${paymentDays.on(day)}${v.id}`,
      }
    : {};
}

function paymentDay(status: VoucherStatus, payment: Payment | undefined): string | undefined {
  if (!payment) return undefined;
  if (status === 'READY_FOR_PAYMENT') return payment.dueDate;
  if (status === 'PAID' || status === 'CLOSED') return payment.paidOn;
  if (status === 'PAYMENT_FAILED') return payment.failedOn;
  return undefined;
}
