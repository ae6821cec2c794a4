/**
 * The review of supplier changes on DynamoDB Local (POLICY D8, second sentence): a change asked for by
 * admin or finance is approved or rejected by a different finance person; the approval writes the
 * master in the same transaction as its audit; until then the master keeps the old details, a voucher
 * paying the new ones is flagged, and the cashier's run shows the pending change.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person } from '../../lib/domain/model.ts';
import { paymentRun } from '../../lib/payments/payment-run.ts';
import {
  pendingSupplierChanges,
  requestSupplierChange,
  reviewSupplierChange,
} from '../../lib/suppliers/changes.ts';
import { saveSupplier } from '../../lib/suppliers/save-supplier.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { TEXTILE_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';

const SUPPLIER = 'SUP-HZ-TEXTILE';
const NEW_DETAILS = {
  name: TEXTILE_PAYEE.name,
  bankAccount: '6222 0202 0000 1111 222',
  bankName: '中国工商银行杭州滨江支行',
  accountType: 'CORPORATE' as const,
  taxId: '91330106MA2B0XYZ1K',
};

let app: TestApp;
let finance: Person;
let invoicing: Person;
let admin: Person;

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  finance = app.person('liu.yang');
  invoicing = app.person('wu.fang');
  admin = app.person('admin');
});

const master = async () => app.deps.store.suppliers.get(SUPPLIER);

describe('a supplier change request', () => {
  it('leaves the master as it is until approved, and is on finance’s review list', async () => {
    const change = await requestSupplierChange(app.deps, admin, SUPPLIER, NEW_DETAILS);

    expect(change).toMatchObject({
      status: 'PENDING',
      fields: ['bankAccount', 'bankName'],
      openedBy: admin.email,
    });
    expect((await master())?.bankAccount).toBe(TEXTILE_PAYEE.account);
    expect((await pendingSupplierChanges(app.deps, finance)).map((pending) => pending.id)).toEqual([
      change.id,
    ]);
  });

  it('is refused to the person who asked for it (403), and nothing changes', async () => {
    const change = await requestSupplierChange(app.deps, finance, SUPPLIER, NEW_DETAILS);

    await expect(
      reviewSupplierChange(app.deps, finance, {
        supplierId: SUPPLIER,
        changeId: change.id,
        decision: 'APPROVE',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    expect((await master())?.bankAccount).toBe(TEXTILE_PAYEE.account);
    expect((await app.deps.store.supplierChanges.get(SUPPLIER, change.id))?.status).toBe('PENDING');
  });

  it('approved by another finance person becomes the master in the same write as its audit event', async () => {
    const change = await requestSupplierChange(app.deps, finance, SUPPLIER, NEW_DETAILS);

    const approved = await reviewSupplierChange(app.deps, invoicing, {
      supplierId: SUPPLIER,
      changeId: change.id,
      decision: 'APPROVE',
    });

    expect(approved).toMatchObject({ status: 'APPROVED', reviewedBy: invoicing.email });
    expect(await master()).toMatchObject({
      bankAccount: NEW_DETAILS.bankAccount,
      bankName: NEW_DETAILS.bankName,
      version: 2,
    });
    const listed = await app.deps.store.suppliers.listByEntity(finance.entityId);
    expect(listed.find((supplier) => supplier.id === SUPPLIER)?.bankAccount).toBe(NEW_DETAILS.bankAccount);
    expect((await app.deps.store.suppliers.history(SUPPLIER)).at(-1)).toMatchObject({
      type: 'SUPPLIER_CHANGE_APPROVED',
      actor: invoicing.email,
      details: { changeId: change.id, openedBy: finance.email, proposedBankAccount: '**** **** 1222' },
    });
    expect(await pendingSupplierChanges(app.deps, finance)).toEqual([]);
  });

  it('is reviewed once: a second review is 409', async () => {
    const change = await requestSupplierChange(app.deps, admin, SUPPLIER, NEW_DETAILS);
    await reviewSupplierChange(app.deps, finance, {
      supplierId: SUPPLIER,
      changeId: change.id,
      decision: 'REJECT',
      reason: '供应商未确认 the supplier did not confirm',
    });

    await expect(
      reviewSupplierChange(app.deps, invoicing, {
        supplierId: SUPPLIER,
        changeId: change.id,
        decision: 'APPROVE',
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'SUPPLIER_CHANGE_ALREADY_REVIEWED' });
    expect((await master())?.bankAccount).toBe(TEXTILE_PAYEE.account);
  });

  it('is the only way to change a supplier’s bank details: replacing the supplier with new ones is 409', async () => {
    await expect(saveSupplier(app.deps, finance, { id: SUPPLIER, ...NEW_DETAILS })).rejects.toMatchObject({
      statusCode: 409,
      code: 'SUPPLIER_CHANGE_NEEDS_REVIEW',
    });
    expect((await master())?.bankAccount).toBe(TEXTILE_PAYEE.account);
  });

  it('can be asked for only by admin or finance reviewer, and reviewed only by finance', async () => {
    await expect(
      requestSupplierChange(app.deps, app.person('li.na'), SUPPLIER, NEW_DETAILS),
    ).rejects.toMatchObject({ statusCode: 403 });
    const change = await requestSupplierChange(app.deps, finance, SUPPLIER, NEW_DETAILS);
    await expect(
      reviewSupplierChange(app.deps, admin, {
        supplierId: SUPPLIER,
        changeId: change.id,
        decision: 'APPROVE',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('while a change is pending', () => {
  it('flags a voucher paying the new details, and the cashier’s run shows the pending change', async () => {
    const change = await requestSupplierChange(app.deps, admin, SUPPLIER, NEW_DETAILS);
    const liNa = app.person('li.na');
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await voucherInput(app, liNa, {
        amount: '100.00',
        payee: { name: TEXTILE_PAYEE.name, account: NEW_DETAILS.bankAccount, bank: NEW_DETAILS.bankName },
      }),
    );
    expect(voucher.flags.map((flag) => flag.code)).toEqual([
      'BANK_DETAILS_MISMATCH',
      'PAYS_PENDING_SUPPLIER_CHANGE',
    ]);

    for (const approver of ['wang.qiang', 'liu.yang']) {
      await app.engine.settled();
      const link = app.outbox
        .list()
        .filter((message) => message.to.includes(`${approver}@lianshang.example`))
        .at(-1)
        ?.links.find((candidate) => candidate.includes('/approvals/'));
      await decide(app.deps, link?.split('/approvals/')[1] ?? '', { decision: 'APPROVE', reason: '' });
    }
    await app.engine.settled();
    const run = await paymentRun(app.deps, app.person('chen.jing'), '2026-11-18');

    expect(run.items.find((item) => item.voucherId === voucher.id)?.pendingSupplierChange).toEqual({
      changeId: change.id,
      fields: ['bankAccount', 'bankName'],
      openedBy: admin.email,
      openedAt: change.openedAt,
      proposedAccount: NEW_DETAILS.bankAccount,
      paysProposed: true,
    });
  });
});
