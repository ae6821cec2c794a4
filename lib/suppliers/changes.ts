/**
 * Supplier change requests (POLICY D8): a proposal to change a supplier's name, bank account, bank,
 * account type or tax id, kept PENDING under the supplier for review. Opening one never changes the
 * master — the reconciliation's MASTER_DATA_CHANGE opens one instead of writing the sheet's values.
 *
 * Primary course of `openSupplierChange`:
 *  1. The supplier must exist; the proposal is compared with its master data as it is now.
 *  2. A proposal that changes nothing is refused.
 *  3. The request and its audit event are written together, conditional on the id being new: the same
 *     proposal from the same source (a rerun of the week) has the same id and opens nothing twice.
 */
import { createHash } from 'node:crypto';
import type { AppDeps } from '../app.ts';
import { accountFor } from '../domain/access.ts';
import { NotFoundError, RuleViolationError } from '../domain/errors.ts';
import {
  changedFields,
  detailsOf,
  type SupplierChange,
  type SupplierChangeSource,
  type SupplierDetails,
} from '../domain/supplier-change.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';

export interface OpenSupplierChangeInput {
  supplierId: string;
  proposed: SupplierDetails;
  source: SupplierChangeSource;
  /** A person's email, or the workflow that opened it (`reconciliation`). */
  openedBy: string;
}

export async function openSupplierChange(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  input: OpenSupplierChangeInput,
): Promise<{ change: SupplierChange; opened: boolean }> {
  // 1. Against the master as it is.
  const supplier = await deps.store.suppliers.get(input.supplierId);
  if (!supplier)
    throw new NotFoundError(
      `主数据里没有供应商 ${input.supplierId}。Supplier ${input.supplierId} is not in the master data.`,
    );
  const current = detailsOf(supplier);
  const proposed: SupplierDetails = {
    name: input.proposed.name,
    bankAccount: input.proposed.bankAccount,
    bankName: input.proposed.bankName,
    accountType: input.proposed.accountType,
    ...(input.proposed.taxId ? { taxId: input.proposed.taxId } : {}),
  };
  // 2. Nothing to review.
  const fields = changedFields(current, proposed);
  if (fields.length === 0) {
    throw new RuleViolationError(
      'SUPPLIER_CHANGE_CHANGES_NOTHING',
      `供应商 ${supplier.id} 的变更内容与主数据相同，没有要变更的。The proposal for supplier ${supplier.id} is what the master data holds already.`,
    );
  }
  // 3. One request per proposal and source: a week's rerun finds the one it opened.
  const id =
    input.source.kind === 'RECONCILIATION'
      ? `R${input.source.week.replaceAll('-', '')}-${createHash('sha256').update(JSON.stringify(proposed)).digest('hex').slice(0, 16)}`
      : newId();
  const now = toShanghaiIso(deps.clock.now());
  const change: SupplierChange = {
    id,
    supplierId: supplier.id,
    entityId: supplier.entityId,
    status: 'PENDING',
    fields,
    proposed,
    current,
    source: input.source,
    openedBy: input.openedBy,
    openedAt: now,
    version: 1,
  };
  const opened = await deps.store.supplierChanges.open(change, {
    at: now,
    actor: input.openedBy,
    type: 'SUPPLIER_CHANGE_OPENED',
    version: supplier.version,
    details: {
      changeId: id,
      fields,
      // Audit history is read by many: accounts masked, as on the supplier's own events (D8).
      proposedBankAccount: accountFor(null, 'audit', proposed.bankAccount),
      source: input.source,
    },
  });
  if (opened) return { change, opened: true };
  const existing = await deps.store.supplierChanges.get(supplier.id, id);
  if (!existing) throw new Error(`supplier change ${id} was reported as existing but is not there`);
  return { change: existing, opened: false };
}

export async function listSupplierChanges(
  deps: Pick<AppDeps, 'store'>,
  supplierId: string,
): Promise<SupplierChange[]> {
  return deps.store.supplierChanges.listBySupplier(supplierId);
}
