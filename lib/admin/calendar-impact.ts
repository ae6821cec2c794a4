/**
 * Which documents a calendar change would move (POLICY D16, issue 14 §4): the dates already computed
 * from the calendar, judged again under the proposed one —
 * - a voucher's payment day (D3, D4), while it waits for its run (a day pulled forward by a person,
 *   D5, is that person's, not the calendar's);
 * - an invoice request's batch day (D12), while it is queued for a batch that has not closed;
 * - a closed batch's deadline for finance (D13), while finance still holds lines of it.
 * Each list is bounded by open work (a day's run, the requests not yet sent), read by its index.
 */
import type { AppDeps } from '../app.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { batchFor, financeDueBy } from '../domain/invoicing.ts';
import type { LocalDate } from '../domain/model.ts';
import { paymentDateFor } from '../domain/payment-date.ts';
import type { PolicySettings } from '../domain/policy.ts';

export type AffectedKind = 'VOUCHER_PAYMENT_DAY' | 'INVOICE_BATCH_DAY' | 'INVOICE_FINANCE_DEADLINE';

export interface AffectedDocument {
  kind: AffectedKind;
  entityId: string;
  /** The voucher's or request's id; a batch's day. */
  id: string;
  /** What people call it: the voucher's or request's number, the batch's day. */
  name: string;
  from: LocalDate;
  to: LocalDate;
}

const PAGE = 100;

export function describeAffected(document: AffectedDocument): string {
  const { name, from, to } = document;
  switch (document.kind) {
    case 'VOUCHER_PAYMENT_DAY':
      return `凭单 ${name} 的付款日 ${from} → ${to} voucher ${name}: payment day ${from} → ${to}`;
    case 'INVOICE_BATCH_DAY':
      return `开票申请 ${name} 的批次日 ${from} → ${to} invoice request ${name}: batch day ${from} → ${to}`;
    case 'INVOICE_FINANCE_DEADLINE':
      return `${name} 批次的财务开票期限 ${from} → ${to} batch of ${name}: finance's deadline ${from} → ${to}`;
  }
}

export async function affectedDocuments(
  deps: Pick<AppDeps, 'store'>,
  current: WorkingDayCalendar,
  proposed: WorkingDayCalendar,
  now: Date,
): Promise<AffectedDocument[]> {
  const affected: AffectedDocument[] = [];
  const policies = new Map<string, Promise<PolicySettings>>();
  const policyOf = (entityId: string, version: number) => {
    const key = `${entityId}#${version}`;
    if (!policies.has(key)) policies.set(key, deps.store.settings.policy(entityId, version));
    return policies.get(key) as Promise<PolicySettings>;
  };
  for (const entity of await deps.store.people.listEntities()) {
    // Payment days (D3, D4) of the vouchers waiting for their run.
    let cursor: string | undefined;
    do {
      const page = await deps.store.vouchers.listByStatus(entity.id, 'READY_FOR_PAYMENT', {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const voucher of page.items) {
        const payment = voucher.payment;
        if (payment?.status !== 'DUE' || payment.override) continue;
        const policy = await policyOf(voucher.entityId, voucher.policyVersion);
        const rule = (calendar: WorkingDayCalendar) =>
          paymentDateFor(
            new Date(payment.payableAt),
            calendar,
            policy.paymentCutoffHour,
            policy.paymentCutoffMinute,
          );
        const to = rule(proposed);
        if (to !== payment.dueDate && rule(current) === payment.dueDate) {
          affected.push({
            kind: 'VOUCHER_PAYMENT_DAY',
            entityId: entity.id,
            id: voucher.id,
            name: voucher.number ?? voucher.id,
            from: payment.dueDate,
            to,
          });
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Batch days (D12) of the requests queued for a batch not yet closed.
    cursor = undefined;
    do {
      const page = await deps.store.invoiceRequests.listByStatus(entity.id, 'QUEUED', {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const request of page.items) {
        if (!request.batchDate || !request.eligibleAt) continue;
        const policy = await policyOf(request.entityId, request.policyVersion);
        const eligibleAt = new Date(request.eligibleAt);
        // A request stays queued for its batch until the close: judged from the later of the two.
        const judgedAt = eligibleAt.getTime() > now.getTime() ? eligibleAt : now;
        const to = batchFor(judgedAt, proposed, policy);
        if (to !== request.batchDate && batchFor(judgedAt, current, policy) === request.batchDate) {
          affected.push({
            kind: 'INVOICE_BATCH_DAY',
            entityId: entity.id,
            id: request.id,
            name: request.number,
            from: request.batchDate,
            to,
          });
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Finance's deadlines (D13) of the closed batches it still holds lines of.
    const batchDays = new Set<LocalDate>();
    cursor = undefined;
    do {
      const page = await deps.store.invoiceRequests.listByStatus(entity.id, 'WITH_FINANCE', {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const request of page.items) if (request.batchDate) batchDays.add(request.batchDate);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    for (const batchDate of [...batchDays].sort()) {
      const batch = await deps.store.invoiceBatches.get(entity.id, batchDate);
      if (!batch) continue;
      const policy = await policyOf(entity.id, batch.policyVersion);
      const to = financeDueBy(batchDate, proposed, policy);
      if (to !== batch.dueBy) {
        affected.push({
          kind: 'INVOICE_FINANCE_DEADLINE',
          entityId: entity.id,
          id: batchDate,
          name: batchDate,
          from: batch.dueBy,
          to,
        });
      }
    }
  }
  return affected;
}
