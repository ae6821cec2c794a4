/**
 * Supplier master data (POLICY 2.1(2), D8). Admin and finance keep it; vouchers are checked against it.
 *
 * Primary course:
 *  1. Only admin or finance may change master data.
 *  2. Create, or replace the version that was read; the change and its audit event land together.
 *  3. A tax id that fails the USCC checksum is a warning, not a refusal (some early codes fail it).
 */

import type { AppDeps } from '../app.ts';
import { accountFor, requireRole } from '../domain/access.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { AccountType, Person, Supplier } from '../domain/model.ts';
import { changedFields, detailsOf } from '../domain/supplier-change.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { isValidUscc } from '../domain/uscc.ts';

export interface SupplierInput {
  id: string;
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: AccountType;
  taxId?: string | undefined;
  generalTaxpayer?: boolean | undefined;
}

export async function saveSupplier(
  deps: AppDeps,
  actor: Person,
  input: SupplierInput,
): Promise<{ supplier: Supplier; created: boolean; warnings: string[] }> {
  requireRole(actor, 'ADMIN', 'FINANCE_REVIEWER');
  const now = toShanghaiIso(deps.clock.now());
  const existing = await deps.store.suppliers.get(input.id);
  // POLICY D8 (second sentence): the master's name, bank details and tax id change only through a
  // reviewed change request (lib/suppliers/changes.ts), never by replacing the supplier.
  const reviewed = existing
    ? changedFields(detailsOf(existing), {
        name: input.name,
        bankAccount: input.bankAccount,
        bankName: input.bankName,
        accountType: input.accountType,
        taxId: input.taxId ?? existing.taxId,
      })
    : [];
  if (existing && reviewed.length > 0) {
    throw new ConflictError(
      'SUPPLIER_CHANGE_NEEDS_REVIEW',
      `供应商 ${existing.id} 的 ${reviewed.join('、')} 只能通过变更申请修改，由另一位财务人员审核（POST /api/suppliers/${existing.id}/changes）。Supplier ${existing.id}'s ${reviewed.join(', ')} change only through a change request reviewed by another finance person (POST /api/suppliers/${existing.id}/changes).`,
      {
        issues: reviewed.map((field) => ({
          path: field,
          message: '须经审核 needs a reviewed change request',
        })),
      },
    );
  }
  const supplier: Supplier = {
    id: input.id,
    entityId: existing?.entityId ?? actor.entityId,
    name: input.name,
    bankAccount: input.bankAccount,
    bankName: input.bankName,
    accountType: input.accountType,
    ...(input.taxId ? { taxId: input.taxId } : {}),
    ...(input.generalTaxpayer !== undefined ? { generalTaxpayer: input.generalTaxpayer } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    version: (existing?.version ?? 0) + 1,
  };
  // POLICY D8: a change of bank details is recorded with what it was and who changed it — the
  // accounts as an audit event carries them (masked: history is read by many).
  const bankChanged =
    existing !== null &&
    (existing.bankAccount !== supplier.bankAccount || existing.bankName !== supplier.bankName);
  await deps.store.suppliers.save(supplier, existing?.version ?? null, {
    at: now,
    actor: actor.email,
    type: existing
      ? bankChanged
        ? 'SUPPLIER_BANK_DETAILS_CHANGED'
        : 'SUPPLIER_UPDATED'
      : 'SUPPLIER_CREATED',
    version: supplier.version,
    details: {
      name: supplier.name,
      bankName: supplier.bankName,
      bankAccount: accountFor(null, 'audit', supplier.bankAccount),
      accountType: supplier.accountType,
      ...(bankChanged && existing
        ? {
            previousBankName: existing.bankName,
            previousBankAccount: accountFor(null, 'audit', existing.bankAccount),
          }
        : {}),
    },
  });
  const warnings =
    supplier.taxId && !isValidUscc(supplier.taxId)
      ? [
          `Tax id ${supplier.taxId} fails the unified social credit code checksum; check it with the supplier.`,
        ]
      : [];
  return { supplier, created: existing === null, warnings };
}

export async function getSupplier(deps: AppDeps, viewer: Person, supplierId: string): Promise<Supplier> {
  const supplier = await deps.store.suppliers.get(supplierId);
  if (!supplier || supplier.entityId !== viewer.entityId)
    throw new NotFoundError(`没有这个供应商 ${supplierId}。No supplier ${supplierId}.`);
  return supplier;
}
