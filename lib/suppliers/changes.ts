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
import { accountFor, requireRole } from '../domain/access.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Person, Supplier } from '../domain/model.ts';
import {
  assertMayReview,
  changedFields,
  detailsOf,
  SUPPLIER_CHANGE_REQUESTER_ROLES,
  SUPPLIER_CHANGE_REVIEWER_ROLES,
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

// ——— The review (POLICY D8, second sentence; issue 14 §5) ———

/** A supplier of the caller's entity (another entity's looks like none, D17). */
async function supplierOf(deps: Pick<AppDeps, 'store'>, caller: Person, supplierId: string) {
  const supplier = await deps.store.suppliers.get(supplierId);
  if (!supplier || supplier.entityId !== caller.entityId)
    throw new NotFoundError(
      `主数据里没有供应商 ${supplierId}。Supplier ${supplierId} is not in the master data.`,
    );
  return supplier;
}

/** An admin's or finance's request to change a supplier's master data: PENDING until finance reviews it. */
export async function requestSupplierChange(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  supplierId: string,
  proposed: SupplierDetails,
): Promise<SupplierChange> {
  requireRole(caller, ...SUPPLIER_CHANGE_REQUESTER_ROLES);
  await supplierOf(deps, caller, supplierId);
  const { change } = await openSupplierChange(deps, {
    supplierId,
    proposed,
    source: { kind: 'MANUAL' },
    openedBy: caller.email,
  });
  return change;
}

/** A supplier's change requests, for who may ask for or review one. */
export async function supplierChangesOf(
  deps: Pick<AppDeps, 'store'>,
  caller: Person,
  supplierId: string,
): Promise<SupplierChange[]> {
  requireRole(caller, ...SUPPLIER_CHANGE_REQUESTER_ROLES, ...SUPPLIER_CHANGE_REVIEWER_ROLES);
  await supplierOf(deps, caller, supplierId);
  return deps.store.supplierChanges.listBySupplier(supplierId);
}

/** The entity's changes waiting for review (finance's list). */
export async function pendingSupplierChanges(
  deps: Pick<AppDeps, 'store'>,
  caller: Person,
): Promise<SupplierChange[]> {
  requireRole(caller, ...SUPPLIER_CHANGE_REQUESTER_ROLES, ...SUPPLIER_CHANGE_REVIEWER_ROLES);
  return deps.store.supplierChanges.pendingOfEntity(caller.entityId);
}

/**
 * Primary course of a review:
 *  1. The request exists, of the caller's entity.
 *  2. D8: the reviewer is finance and not who asked for it; the request is still pending.
 *  3. Approval: the master must still hold the details the request was judged against (a master
 *     changed since needs a new request); the proposed details become the master's.
 *  4. The request's decision, its audit event and (approved) the new master data in one transaction,
 *     each conditional on the version read: two reviews at once — one lands, the other is 409.
 */
export async function reviewSupplierChange(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  reviewer: Person,
  input: {
    supplierId: string;
    changeId: string;
    decision: 'APPROVE' | 'REJECT';
    reason?: string | undefined;
  },
): Promise<SupplierChange> {
  // 1.
  const change = await deps.store.supplierChanges.get(input.supplierId, input.changeId);
  if (!change || change.entityId !== reviewer.entityId)
    throw new NotFoundError(
      `没有这项供应商资料变更 ${input.changeId}。There is no supplier change ${input.changeId}.`,
    );
  // 2. POLICY D8: reviewed by a different finance person.
  assertMayReview(change, reviewer);
  const supplier = await supplierOf(deps, reviewer, input.supplierId);
  const now = toShanghaiIso(deps.clock.now());
  const approved = input.decision === 'APPROVE';
  // 3.
  if (approved && changedFields(change.current, detailsOf(supplier)).length > 0) {
    throw new ConflictError(
      'SUPPLIER_CHANGED_SINCE',
      `供应商 ${supplier.id} 的主数据在这项变更提出后已改变，请驳回并重新提出。Supplier ${supplier.id}'s master data changed after this request was made; reject it and ask again.`,
    );
  }
  const reviewed: SupplierChange = {
    ...change,
    status: approved ? 'APPROVED' : 'REJECTED',
    reviewedBy: reviewer.email,
    reviewedAt: now,
    ...(input.reason ? { reviewReason: input.reason } : {}),
    version: change.version + 1,
  };
  const next: Supplier | undefined = approved
    ? {
        ...supplier,
        name: change.proposed.name,
        bankAccount: change.proposed.bankAccount,
        bankName: change.proposed.bankName,
        accountType: change.proposed.accountType,
        ...(change.proposed.taxId ? { taxId: change.proposed.taxId } : {}),
        updatedAt: now,
        version: supplier.version + 1,
      }
    : undefined;
  // 4.
  await deps.store.supplierChanges.review({
    change: reviewed,
    expectedVersion: change.version,
    event: {
      at: now,
      actor: reviewer.email,
      type: approved ? 'SUPPLIER_CHANGE_APPROVED' : 'SUPPLIER_CHANGE_REJECTED',
      version: next?.version ?? supplier.version,
      details: {
        changeId: change.id,
        fields: change.fields,
        openedBy: change.openedBy,
        // Audit history is read by many: accounts masked (D8).
        previousBankAccount: accountFor(null, 'audit', change.current.bankAccount),
        proposedBankAccount: accountFor(null, 'audit', change.proposed.bankAccount),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    },
    ...(next ? { supplier: { next, expectedVersion: supplier.version } } : {}),
  });
  return reviewed;
}
