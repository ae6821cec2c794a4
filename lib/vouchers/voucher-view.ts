/**
 * What a person sees of a voucher. Amounts go out both as integer fen and as a yuan string; the payee
 * account as lib/domain/access.ts says (in full to finance and the cashier only — the
 * applicant sees their submitted voucher's account masked too).
 */
import { accountFor } from '../domain/access.ts';
import type { AuditEvent, Person, Voucher } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';

export function voucherView(voucher: Voucher, viewer: Person) {
  return {
    id: voucher.id,
    /** The short number people say (`FK-20261202-0007`); null on a voucher submitted before numbers. */
    number: voucher.number ?? null,
    version: voucher.version,
    entityId: voucher.entityId,
    status: voucher.status,
    applicant: voucher.applicant,
    supplierId: voucher.supplierId,
    supplierName: voucher.supplierName,
    payee: {
      ...voucher.payee,
      account: accountFor(viewer, 'voucher', voucher.payee.account),
    },
    amount: fenToYuanString(voucher.amountFen),
    amountFen: voucher.amountFen,
    orderIds: voucher.orderIds,
    allocations: voucher.allocations.map((allocation) => ({
      orderId: allocation.orderId,
      amount: fenToYuanString(allocation.amountFen),
      amountFen: allocation.amountFen,
    })),
    goods: voucher.goods,
    evidence: voucher.evidence,
    route: {
      requiresCeo: voucher.route.requiresCeo,
      ceoReason: voucher.route.ceoReason,
      judgedAmount: fenToYuanString(voucher.route.judgedAmountFen),
      threshold: fenToYuanString(voucher.route.thresholdFen),
      steps: voucher.route.steps,
    },
    flags: voucher.flags,
    approvals: (voucher.approvals ?? []).map((approval) => ({
      step: approval.step,
      version: approval.version,
      approver: approval.decidedBy,
      decision: approval.decision,
      decidedBy: approval.decidedBy,
      ...(approval.onBehalfOf ? { onBehalfOf: approval.onBehalfOf } : {}),
      via: approval.via,
      ...(approval.proxy ? { proxy: approval.proxy, countersign: approval.countersign ?? null } : {}),
      decidedAt: approval.decidedAt,
      countersignedAt: approval.countersignedAt ?? null,
      // POLICY D6: an approval that no longer counts, kept in the record.
      ...(approval.withdrawn ? { withdrawn: approval.withdrawn } : {}),
      ...(approval.reason ? { reason: approval.reason } : {}),
    })),
    payment: voucher.payment
      ? {
          dueDate: voucher.payment.dueDate,
          status: voucher.payment.status,
          payableAt: voucher.payment.payableAt,
          bankReference: voucher.payment.bankReference ?? null,
          paidOn: voucher.payment.paidOn ?? null,
          override: voucher.payment.override ?? null,
          failureReason: voucher.payment.failureReason ?? null,
          failures: voucher.payment.failures ?? [],
        }
      : null,
    supplierInvoice: voucher.supplierInvoice
      ? {
          type: voucher.supplierInvoice.type,
          number: voucher.supplierInvoice.number,
          code: voucher.supplierInvoice.code ?? null,
          issuedOn: voucher.supplierInvoice.issuedOn,
          amount: fenToYuanString(voucher.supplierInvoice.amountFen),
          taxAmount: fenToYuanString(voucher.supplierInvoice.taxAmountFen),
          file: voucher.supplierInvoice.file ?? null,
          recordedBy: voucher.supplierInvoice.recordedBy,
          recordedAt: voucher.supplierInvoice.recordedAt,
        }
      : null,
    invoiceWaiver: voucher.invoiceWaiver ?? null,
    submittedAt: voucher.submittedAt,
    submittedOn: voucher.submittedOn,
    updatedAt: voucher.updatedAt,
    policyVersion: voucher.policyVersion,
  };
}

export type VoucherView = ReturnType<typeof voucherView>;

export function historyView(events: readonly AuditEvent[]) {
  return events.map((event) => ({
    at: event.at,
    actor: event.actor,
    type: event.type,
    version: event.version,
    details: event.details ?? {},
  }));
}
