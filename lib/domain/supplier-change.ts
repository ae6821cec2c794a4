/**
 * A request to change a supplier's master data (POLICY D8, second sentence: a change of a supplier's
 * bank details is itself a reviewed change). It is kept under the supplier and never changes the master
 * until approved: opening one leaves the supplier as it is. The review (approve/reject by a different
 * finance person) comes with issue 14; until then a request stays PENDING.
 */
import { hasRole } from './access.ts';
import { compactAccount } from './accounts.ts';
import { ConflictError, ForbiddenError, MissingRoleError } from './errors.ts';
import type { AccountType, Instant, Payee, Person, Supplier, VoucherFlag } from './model.ts';

export const SUPPLIER_CHANGE_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type SupplierChangeStatus = (typeof SUPPLIER_CHANGE_STATUSES)[number];

export const SUPPLIER_CHANGE_FIELDS = ['name', 'bankAccount', 'bankName', 'accountType', 'taxId'] as const;
export type SupplierChangeField = (typeof SUPPLIER_CHANGE_FIELDS)[number];

export interface SupplierDetails {
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: AccountType;
  taxId?: string | undefined;
}

/** Where a proposal came from: a reconciliation week's master-data sheet (file, line), or a person. */
export type SupplierChangeSource =
  | { kind: 'RECONCILIATION'; week: string; file: string; line: number }
  | { kind: 'MANUAL' };

export interface SupplierChange {
  id: string;
  supplierId: string;
  entityId: string;
  status: SupplierChangeStatus;
  /** The fields that differ from the master as it was when the request was opened. */
  fields: SupplierChangeField[];
  proposed: SupplierDetails;
  /** The master's details when the request was opened (what a reviewer compares against). */
  current: SupplierDetails;
  source: SupplierChangeSource;
  openedBy: string;
  openedAt: Instant;
  version: number;
  /** D8: who reviewed it (a finance person other than who asked), when, and why (a rejection's reason). */
  reviewedBy?: string;
  reviewedAt?: Instant;
  reviewReason?: string;
}

/** Whitespace inside an account number or a name is how people type it, not a change. */
const comparable = (value: string | undefined) => (value ?? '').replace(/\s+/g, '').toUpperCase();

export function detailsOf(supplier: Supplier): SupplierDetails {
  return {
    name: supplier.name,
    bankAccount: supplier.bankAccount,
    bankName: supplier.bankName,
    accountType: supplier.accountType,
    ...(supplier.taxId ? { taxId: supplier.taxId } : {}),
  };
}

export function changedFields(current: SupplierDetails, proposed: SupplierDetails): SupplierChangeField[] {
  return SUPPLIER_CHANGE_FIELDS.filter((field) => comparable(current[field]) !== comparable(proposed[field]));
}

/** D8: who may ask for a change of a supplier's master data (as who may keep it). */
export const SUPPLIER_CHANGE_REQUESTER_ROLES = ['ADMIN', 'FINANCE_REVIEWER'] as const;
/** D8: who reviews one — finance. */
export const SUPPLIER_CHANGE_REVIEWER_ROLES = ['FINANCE_REVIEWER', 'FINANCE_INVOICING'] as const;

/**
 * POLICY D8 (second sentence): a change is reviewed by a finance person other than the one who asked
 * for it, once, while it is pending; otherwise refused (who may not: 403; not pending: 409).
 */
export function assertMayReview(change: SupplierChange, reviewer: Person): void {
  if (!hasRole(reviewer, ...SUPPLIER_CHANGE_REVIEWER_ROLES))
    throw new MissingRoleError(SUPPLIER_CHANGE_REVIEWER_ROLES);
  if (reviewer.email === change.openedBy) {
    throw new ForbiddenError(
      '供应商资料变更须由提出人以外的财务人员审核，您不能审核自己提出的变更。A supplier change is reviewed by a finance person other than the one who asked for it; you asked for this one.',
    );
  }
  if (change.status !== 'PENDING') {
    throw new ConflictError(
      'SUPPLIER_CHANGE_ALREADY_REVIEWED',
      `这项变更已由 ${change.reviewedBy ?? '他人'} 审核（${change.status === 'APPROVED' ? '已批准 approved' : '已驳回 rejected'}）。This change was reviewed already by ${change.reviewedBy ?? 'someone else'}.`,
    );
  }
}

/**
 * POLICY D8: a voucher paying the details a pending change proposes (the account not yet approved)
 * is flagged for finance — until approved, the master's old details are the supplier's.
 */
export function pendingChangeFlags(payee: Payee, pending: readonly SupplierChange[]): VoucherFlag[] {
  const account = compactAccount(payee.account);
  const change = pending.find(
    (candidate) =>
      candidate.status === 'PENDING' &&
      candidate.fields.includes('bankAccount') &&
      compactAccount(candidate.proposed.bankAccount) === account,
  );
  if (!change) return [];
  return [
    {
      code: 'PAYS_PENDING_SUPPLIER_CHANGE',
      message: `收款账号是供应商资料变更（${change.id}）中待审核的新账号，付款前须财务确认。The payee account is the new one of supplier change ${change.id}, still waiting for review; finance must confirm before payment (POLICY D8).`,
    },
  ];
}
