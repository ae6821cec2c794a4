/**
 * A master-data sheet that differs from fundflow's supplier master opens a supplier change for review
 * (POLICY D8) and leaves the master untouched — on DynamoDB Local.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { RuleViolationError } from '../../lib/domain/errors.ts';
import type { Supplier } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import { AdjustableClock } from '../../lib/local/clock.ts';
import type { Store } from '../../lib/platform/store.ts';
import { reconcile } from '../../lib/reconciliation/engine.ts';
import { TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import {
  openSupplierChangesOfWeek,
  storeSupplierDirectory,
} from '../../lib/reconciliation/supplier-changes.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';
import { createStore } from '../../lib/storage/store.ts';
import { listSupplierChanges, openSupplierChange } from '../../lib/suppliers/changes.ts';
import { accountLogText, gbk } from '../support/alipay-files.ts';
import { freshTable } from '../support/dynamo.ts';

const SUPPLIER: Supplier = {
  id: 'SUP-1',
  entityId: 'lianshang-sh',
  name: '广州美妆供应链有限公司',
  bankAccount: '4400 1234 5678 9012 345',
  bankName: '招商银行广州天河支行',
  accountType: 'CORPORATE',
  taxId: '91350100M000100Y43',
  createdAt: '2026-09-01T09:00:00.000+08:00',
  updatedAt: '2026-09-01T09:00:00.000+08:00',
  version: 1,
};

let store: Store;
const clock = new AdjustableClock();
clock.set(new Date('2026-10-08T10:00:00+08:00'));

beforeEach(async () => {
  const table = await freshTable();
  store = createStore(table.client, table.tableName);
  await store.suppliers.save(SUPPLIER, null, {
    at: SUPPLIER.createdAt,
    actor: 'admin',
    type: 'SUPPLIER_CREATED',
    version: 1,
  });
});

async function reconcileSheet(sheet: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'recon-int-'));
  const write = (name: string, body: string | Buffer) => {
    writeFileSync(path.join(dir, name), body);
    return { name, path: path.join(dir, name) };
  };
  const week = reconciliationWeek('2026-09-28', new WorkingDayCalendar(), DEFAULT_POLICY);
  const partitions = new TempDirPartitions();
  try {
    return await reconcile(
      {
        week,
        summaries: [write('summary.csv', 'orderId,supplierId,amount,supplierPayable\n')],
        statements: [
          write(
            'log.csv',
            gbk(accountLogText({ from: '2026-09-28T00:00:00', to: '2026-10-05T00:00:00', rows: [] })),
          ),
        ],
        masterData: [write('供应商客户信息维护表.csv', sheet)],
        platformOrders: async function* () {},
        suppliers: storeSupplierDirectory({ store }),
      },
      { store: partitions, partitions: 2 },
    );
  } finally {
    await partitions.dispose();
  }
}

const SHEET = `kind,id,name,bankAccount,bankName,accountType,taxId
SUPPLIER,SUP-1,广州美妆供应链有限公司,6222 0000 1111 2222,中国工商银行广州分行,CORPORATE,91350100M000100Y43
`;

describe('a master-data change found by the reconciliation', () => {
  it('opens a pending supplier change with the sheet’s values and leaves the master as it was', async () => {
    const result = await reconcileSheet(SHEET);

    const outcome = await openSupplierChangesOfWeek({ store, clock }, '2026-09-28', result.supplierChanges);

    expect(result.counts.MASTER_DATA_CHANGE).toBe(2);
    expect(outcome).toEqual({ opened: 1, existing: 0 });
    const [change, ...others] = await listSupplierChanges({ store }, 'SUP-1');
    expect(others).toEqual([]);
    expect(change).toMatchObject({
      status: 'PENDING',
      fields: ['bankAccount', 'bankName'],
      proposed: { bankAccount: '6222 0000 1111 2222', bankName: '中国工商银行广州分行' },
      current: { bankAccount: SUPPLIER.bankAccount, bankName: SUPPLIER.bankName },
      source: { kind: 'RECONCILIATION', week: '2026-09-28', file: '供应商客户信息维护表.csv', line: 2 },
    });
    expect(await store.suppliers.get('SUP-1')).toEqual(SUPPLIER);
    expect((await store.suppliers.history('SUP-1')).map((event) => event.type)).toEqual([
      'SUPPLIER_CREATED',
      'SUPPLIER_CHANGE_OPENED',
    ]);
  });

  it('opens nothing twice when the week is reconciled again', async () => {
    const first = await reconcileSheet(SHEET);
    await openSupplierChangesOfWeek({ store, clock }, '2026-09-28', first.supplierChanges);
    const again = await reconcileSheet(SHEET);

    const outcome = await openSupplierChangesOfWeek({ store, clock }, '2026-09-28', again.supplierChanges);

    expect(outcome).toEqual({ opened: 0, existing: 1 });
    expect(await listSupplierChanges({ store }, 'SUP-1')).toHaveLength(1);
  });

  it('is refused when the proposal is what the master holds already (spaces in the account aside)', async () => {
    const attempt = openSupplierChange(
      { store, clock },
      {
        supplierId: 'SUP-1',
        proposed: { ...SUPPLIER, bankAccount: '440012345678 9012345' },
        source: { kind: 'MANUAL' },
        openedBy: 'finance@lianshang.example',
      },
    );

    await expect(attempt).rejects.toBeInstanceOf(RuleViolationError);
    expect(await listSupplierChanges({ store }, 'SUP-1')).toEqual([]);
  });
});
