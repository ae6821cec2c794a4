/**
 * The supplier-day item (POLICY D2): vouchers to one supplier on one Asia/Shanghai day, one item so
 * two submissions of the same day race on it. Its writes go with the voucher's transactions.
 */
import type { LocalDate, Voucher } from '../domain/model.ts';
import type { SupplierDay } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { conditionalPut, type TransactItem } from './transact.ts';

export async function supplierDayOf(
  table: Table,
  supplierId: string,
  day: LocalDate,
): Promise<SupplierDay | null> {
  const item = await table.get(keys.supplierDay(supplierId, day));
  return item ? withoutKeys<SupplierDay>(item) : null;
}

/** The day with the new voucher: created, or replaced at the version read. */
export function supplierDayPut(
  table: Table,
  next: SupplierDay,
  expectedVersion: number | null,
): TransactItem {
  return conditionalPut(table, { ...keys.supplierDay(next.supplierId, next.day), ...next }, expectedVersion);
}

/** A rejected version leaves the day's split group (it stays listed, as REJECTED). */
export function supplierDayEntryRejected(
  table: Table,
  voucher: Pick<Voucher, 'id' | 'supplierId' | 'submittedOn'>,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.supplierDay(voucher.supplierId, voucher.submittedOn),
      UpdateExpression: 'SET vouchers.#id.#status = :rejected, version = version + :one',
      ConditionExpression: 'attribute_exists(vouchers.#id)',
      ExpressionAttributeNames: { '#id': voucher.id, '#status': 'status' },
      ExpressionAttributeValues: { ':rejected': 'REJECTED', ':one': 1 },
    },
  };
}
