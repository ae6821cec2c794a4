/**
 * A request to change a supplier's master data (POLICY D8, second sentence: a change of a supplier's
 * bank details is itself a reviewed change). It is kept under the supplier and never changes the master
 * until approved: opening one leaves the supplier as it is. The review (approve/reject by a different
 * finance person) comes with issue 14; until then a request stays PENDING.
 */
import type { AccountType, Instant, Supplier } from './model.ts';

export const SUPPLIER_CHANGE_STATUSES = ['PENDING'] as const;
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
