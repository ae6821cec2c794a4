import type { AuditEvent, Supplier } from '../domain/model.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, transact } from './transact.ts';

export class SupplierRepository {
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
    const key = keys.supplier(supplier.id);
    await transact(this.table, [
      conditionalPut(this.table, { ...key, ...supplier }, expectedVersion),
      auditPut(this.table, key.pk, event),
    ]);
  }

  async history(supplierId: string): Promise<AuditEvent[]> {
    const items = await this.table.queryPrefix(keys.supplier(supplierId).pk, keys.eventsPrefix);
    return items.map((item) => withoutKeys<AuditEvent>(item));
  }
}
