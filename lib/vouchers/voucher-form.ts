/**
 * The voucher form of the pages, new or edited (POLICY 2.1(2), D8, D19), without JavaScript: the
 * supplier picked from the entity's master data first, then the payee filled from it, the supplier's
 * orders each with what it still owes, and the files of an earlier sending kept by their keys. This
 * module reads a sent form as typed and fetches what the form shows; pages.ts sends it to the use case.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { accountFor } from '../domain/access.ts';
import type { Person, PlatformOrder, Supplier, Voucher } from '../domain/model.ts';
import { remainingPayableFen } from '../domain/orders.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import type { Names } from '../ui/people.tsx';
import { fileNameOf } from '../uploads/file-links.ts';
import { isUploadKey } from '../uploads/upload-keys.ts';
import type { KeptFile, OrderChoice, RejectionView, SupplierChoice, VoucherFormValues } from './screens.tsx';

/** How many of a supplier's orders the form lists (the newest by id); others can be typed. */
export const ORDERS_LISTED = 100;

const typed = lazySchema(() => z.string().catch(''));

/** What was typed, as typed (a missing or non-text field reads as empty), to fill the form again. */
export function typedFormValues(
  form: unknown,
): VoucherFormValues & { kept: string[]; idempotencyKey: string } {
  const fields: Record<string, unknown> =
    typeof form === 'object' && form !== null ? (form as Record<string, unknown>) : {};
  const text = (name: string) => typed.parse(fields[name]);
  // A ticked order arrives as `order.<id>=yes`, a kept file as `kept.<n>=<key>`: one name each, so
  // the form parser's one-value-per-name holds (a list of one name is for files).
  const pickedOrders = Object.keys(fields).flatMap((name) =>
    name.startsWith('order.') && fields[name] === 'yes' ? [name.slice('order.'.length)] : [],
  );
  const kept = Object.keys(fields).flatMap((name) => {
    const value = fields[name];
    return name.startsWith('kept.') && typeof value === 'string' && isUploadKey(value) ? [value] : [];
  });
  return {
    supplierId: text('supplierId'),
    payeeName: text('payeeName'),
    payeeAccount: text('payeeAccount'),
    payeeBank: text('payeeBank'),
    amount: text('amount'),
    pickedOrders,
    orderIds: text('orderIds'),
    goods: text('goods'),
    kept: [...new Set(kept)],
    idempotencyKey: text('idempotencyKey'),
  };
}

/** The orders the form names: the ticked ones in list order, then those typed, each once. */
export function orderIdsOf(values: VoucherFormValues): string[] {
  const typedIds = values.orderIds
    .split(/[\s,，、]+/)
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return [...new Set([...values.pickedOrders, ...typedIds])];
}

export const supplierChoice = (supplier: Supplier): SupplierChoice => ({
  id: supplier.id,
  name: supplier.name,
});

/** The entity's suppliers, by name. */
export async function supplierChoices(deps: AppDeps, person: Person): Promise<SupplierChoice[]> {
  const suppliers = await deps.store.suppliers.listByEntity(person.entityId);
  return suppliers.map(supplierChoice).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/** The supplier of the person's entity, or null (another entity's supplier is no supplier here). */
export async function entitySupplier(
  deps: AppDeps,
  person: Person,
  supplierId: string,
): Promise<Supplier | null> {
  const supplier = supplierId === '' ? null : await deps.store.suppliers.get(supplierId);
  return supplier && supplier.entityId === person.entityId ? supplier : null;
}

export function orderChoice(order: PlatformOrder): OrderChoice {
  return {
    orderId: order.orderId,
    supplierPayableFen: order.supplierPayableFen,
    claimedFen: order.claimedFen,
    remainingFen: remainingPayableFen(order),
    receiptConfirmedAt: order.receiptConfirmedAt,
    fundsCreditedAt: order.fundsCreditedAt,
    disputed: order.disputeStatus === 'OPEN',
  };
}

/** The supplier's orders as they are now, each with what it still owes. */
export async function orderChoices(deps: AppDeps, supplierId: string): Promise<OrderChoice[]> {
  return (await deps.store.orders.listBySupplier(supplierId, { limit: ORDERS_LISTED })).map(orderChoice);
}

/**
 * The payee as the master data has it (POLICY 2.1(2), D8), the account as the person may see it —
 * masked for a merchandiser; sent back as shown, the submission takes the master data's account.
 */
export function payeeFromMasterData(
  supplier: Supplier,
  person: Person,
): Pick<VoucherFormValues, 'payeeName' | 'payeeAccount' | 'payeeBank'> {
  return {
    payeeName: supplier.name,
    payeeAccount: accountFor(person, 'supplier', supplier.bankAccount),
    payeeBank: supplier.bankName,
  };
}

/** The files a form keeps, named — only the person's own uploads (a key typed into the form shows nothing). */
export async function keptFiles(deps: AppDeps, person: Person, keys: readonly string[]): Promise<KeptFile[]> {
  const uploads = await Promise.all(keys.map((key) => deps.store.uploads.get(key)));
  return keys.flatMap((key, index) =>
    uploads[index]?.owner === person.email ? [{ key, name: fileNameOf(key) }] : [],
  );
}

/**
 * Why the voucher's current version came back to its applicant (POLICY D19): the rejection that
 * stands — by an approver, or finance returning it after a failed payment (step PAYMENT).
 */
export function rejectionOf(voucher: Voucher, names: Names): RejectionView | null {
  if (voucher.status !== 'REJECTED') return null;
  const rejection = (voucher.approvals ?? []).findLast(
    (approval) =>
      approval.version === voucher.version &&
      approval.decision === 'REJECT' &&
      approval.withdrawn === undefined,
  );
  if (!rejection) return null;
  return {
    step: rejection.step,
    by: names.get(rejection.decidedBy) ?? rejection.decidedBy,
    at: rejection.decidedAt,
    reason: rejection.reason ?? '',
  };
}
