import type { AuditEvent, Supplier } from '../domain/model.ts';
import type { SupplierStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { historyOf, saveWithAudit } from './transact.ts';

export class SupplierRepository implements SupplierStore {
  constructor(private readonly table: Table) {}

  async get(supplierId: string): Promise<Supplier | null> {
    const item = await this.table.get(keys.supplier(supplierId));
    return item ? withoutKeys<Supplier>(item) : null;
  }

  /**
   * Creates (expectedVersion null) or replaces (expectedVersion = the version read) a supplier, with
   * its audit event, in one conditional transaction.
   */
  async save(supplier: Supplier, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    await saveWithAudit(this.table, keys.supplier(supplier.id), supplier, expectedVersion, event);
  }

  async history(supplierId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.supplier(supplierId).pk);
  }
}
