import { accountFor } from '../domain/access.ts';
import type { Person, Supplier } from '../domain/model.ts';

/** The supplier as `viewer` may see it: the full bank account for finance and the cashier only. */
export function supplierView(supplier: Supplier, viewer: Person) {
  const { entityId: _entity, ...view } = supplier;
  return { ...view, bankAccount: accountFor(viewer, 'supplier', supplier.bankAccount) };
}
