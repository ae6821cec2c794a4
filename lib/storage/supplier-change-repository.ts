import type { AuditEvent } from '../domain/model.ts';
import type { SupplierChange } from '../domain/supplier-change.ts';
import {
  ConcurrentUpdateError,
  type SupplierChangeReview,
  type SupplierChangeStore,
} from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, type TransactItem, transact } from './transact.ts';

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
        // Listed under its entity while pending: finance's review list (D8).
        {
          Put: {
            TableName: this.table.name,
            Item: {
              ...keys.entityPendingChange(change.entityId, change.supplierId, change.id),
              supplierId: change.supplierId,
              changeId: change.id,
            },
          },
        },
      ]);
      return true;
    } catch (error) {
      // The only condition is "not there yet": a request with this id was opened already.
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async pendingOfEntity(entityId: string): Promise<SupplierChange[]> {
    const prefix = keys.entityPendingChangesPrefix(entityId);
    const markers = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    const changes = await Promise.all(
      markers.map((marker) => this.get(String(marker.supplierId), String(marker.changeId))),
    );
    return changes.filter((change): change is SupplierChange => change?.status === 'PENDING');
  }

  async review(write: SupplierChangeReview): Promise<void> {
    const { change, event, supplier } = write;
    const key = keys.supplierChange(change.supplierId, change.id);
    const items: TransactItem[] = [
      conditionalPut(this.table, { ...key, ...change }, write.expectedVersion),
      auditPut(this.table, key.pk, event),
      {
        Delete: {
          TableName: this.table.name,
          Key: keys.entityPendingChange(change.entityId, change.supplierId, change.id),
        },
      },
    ];
    if (supplier) {
      // D8: the approved details become the master's in the review's own transaction.
      items.push(
        conditionalPut(
          this.table,
          { ...keys.supplier(supplier.next.id), ...supplier.next },
          supplier.expectedVersion,
        ),
        {
          Put: {
            TableName: this.table.name,
            Item: { ...keys.entitySupplier(supplier.next.entityId, supplier.next.id), ...supplier.next },
          },
        },
      );
    }
    await transact(this.table, items);
  }
}
