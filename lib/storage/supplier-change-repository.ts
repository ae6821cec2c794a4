import type { AuditEvent } from '../domain/model.ts';
import type { SupplierChange } from '../domain/supplier-change.ts';
import { ConcurrentUpdateError, type SupplierChangeStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, transact } from './transact.ts';

/** Supplier change requests under `SUPPLIER#<id>` / `CHANGE#<id>`, each with its audit event. */
export class SupplierChangeRepository implements SupplierChangeStore {
  constructor(private readonly table: Table) {}

  async get(supplierId: string, changeId: string): Promise<SupplierChange | null> {
    const item = await this.table.get(keys.supplierChange(supplierId, changeId));
    return item ? withoutKeys<SupplierChange>(item) : null;
  }

  async listBySupplier(supplierId: string): Promise<SupplierChange[]> {
    const prefix = keys.supplierChangesPrefix(supplierId);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<SupplierChange>(item));
  }

  async open(change: SupplierChange, event: AuditEvent): Promise<boolean> {
    try {
      const key = keys.supplierChange(change.supplierId, change.id);
      await transact(this.table, [
        conditionalPut(this.table, { ...key, ...change }, null),
        auditPut(this.table, key.pk, event),
      ]);
      return true;
    } catch (error) {
      // The only condition is "not there yet": a request with this id was opened already.
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }
}
