import type { Supplier } from '#lib/domain/model.ts';

export function supplierView(supplier: Supplier) {
  const { entityId: _entity, ...view } = supplier;
  return view;
}
