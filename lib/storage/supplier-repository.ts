import type { AuditEvent, Supplier } from '../domain/model.ts';
import type { SupplierStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, transact } from './transact.ts';

export class SupplierRepository implements SupplierStore {
  constructor(private readonly table: Table) {}

  async get(supplierId: string): Promise<Supplier | null> {
    const item = await this.table.get(keys.supplier(supplierId));
    return item ? withoutKeys<Supplier>(item) : null;
  }

  async listByEntity(entityId: string): Promise<Supplier[]> {
    const prefix = keys.entitySuppliersPrefix(entityId);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<Supplier>(item));
  }

  /**
   * Creates (expectedVersion null) or replaces (expectedVersion = the version read) a supplier, with
   * its audit event and its copy under the entity, in one conditional transaction.
   */
  async save(supplier: Supplier, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    const key = keys.supplier(supplier.id);
    await transact(this.table, [
      conditionalPut(this.table, { ...key, ...supplier }, expectedVersion),
      auditPut(this.table, key.pk, event),
      {
        Put: {
          TableName: this.table.name,
          Item: { ...keys.entitySupplier(supplier.entityId, supplier.id), ...supplier },
        },
      },
    ]);
  }

  async history(supplierId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.supplier(supplierId).pk);
  }
}
