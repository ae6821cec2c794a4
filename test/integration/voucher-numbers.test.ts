/**
 * The short voucher number (`FK-20261118-0001`): given in the submission's own transaction, unique
 * per legal entity and Asia/Shanghai day however many submissions race for it, kept by an edit after
 * rejection, and found again by whoever may read the voucher.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person } from '../../lib/domain/model.ts';
import { getVoucher, voucherByNumber } from '../../lib/vouchers/read-vouchers.ts';
import { resubmitVoucher, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { TEXTILE_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';

let app: TestApp;
let liNa: Person;

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
  liNa = app.person('li.na');
});

/** 1.00 on the textile order that owes 115,000.00: as many as a test needs, no split, no CEO. */
const small = async (owner: Person = liNa, overrides = {}) =>
  voucherInput(app, owner, { amount: '1.00', ...overrides });

function latestLink(email: string): string {
  const link = app.outbox
    .list()
    .filter((message) => message.to.includes(email))
    .at(-1)
    ?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link) throw new Error(`no approval link for ${email}`);
  return link.split('/approvals/')[1] ?? '';
}

describe('the short voucher number', () => {
  it('numbers the vouchers of a day FK-<day>-0001, -0002, … in the order they are submitted', async () => {
    const first = await submitVoucher(app.deps, liNa, await small());
    const second = await submitVoucher(app.deps, liNa, await small());

    expect([first.voucher.number, second.voucher.number]).toEqual(['FK-20261118-0001', 'FK-20261118-0002']);
    expect((await app.deps.store.vouchers.get(first.voucher.id))?.number).toBe('FK-20261118-0001');
  });

  it('gives every one of simultaneous submissions its own number, with no gap', async () => {
    const inputs = await Promise.all(Array.from({ length: 6 }, () => small()));

    const results = await Promise.all(inputs.map((input) => submitVoucher(app.deps, liNa, input)));

    const numbers = results.map((result) => result.voucher.number).sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6].map((place) => `FK-20261118-000${place}`));
    const stored = await Promise.all(results.map((result) => app.deps.store.vouchers.get(result.voucher.id)));
    expect(new Set(stored.map((voucher) => voucher?.number)).size).toBe(6);
  });

  it('starts again at 0001 on the next Asia/Shanghai day, whatever the machine’s zone', async () => {
    await submitVoucher(app.deps, liNa, await small());
    // 16:30 UTC on the 18th is already 00:30 on the 19th in Shanghai.
    app.clock.set('2026-11-18T16:30:00Z');

    const { voucher } = await submitVoucher(app.deps, liNa, await small());

    expect(voucher.number).toBe('FK-20261119-0001');
  });

  it('counts each legal entity on its own', async () => {
    const other = await anotherEntity();
    await submitVoucher(app.deps, liNa, await small());

    const { voucher } = await submitVoucher(
      app.deps,
      other.merchandiser,
      await voucherInput(app, other.merchandiser, {
        supplierId: 'SUP-BJ-PAPER',
        payee: other.payee,
        orderIds: ['BJ-20261116-0001'],
        amount: '1.00',
      }),
    );

    expect(voucher.number).toBe('FK-20261118-0001');
    expect((await voucherByNumber(app.deps, other.merchandiser, 'FK-20261118-0001'))?.id).toBe(voucher.id);
    expect((await voucherByNumber(app.deps, liNa, 'FK-20261118-0001'))?.id).not.toBe(voucher.id);
  });

  it('keeps its number when the rejected voucher is edited and sent again, and gives none away', async () => {
    const { voucher } = await submitVoucher(app.deps, liNa, await small());
    await app.engine.settled();
    await decide(app.deps, latestLink('wang.qiang@lianshang.example'), {
      decision: 'REJECT',
      reason: '金额不对 wrong amount',
    });
    await app.engine.settled();

    const { voucher: edited } = await resubmitVoucher(
      app.deps,
      liNa,
      voucher.id,
      await small(liNa, { amount: '2.00' }),
    );
    const next = await submitVoucher(app.deps, liNa, await small());

    expect(edited).toMatchObject({ version: 2, number: 'FK-20261118-0001' });
    expect(next.voucher.number).toBe('FK-20261118-0002');
  });

  it('finds a voucher by its number as typed, for whoever may read it and nobody else', async () => {
    const { voucher } = await submitVoucher(app.deps, liNa, await small());

    expect((await voucherByNumber(app.deps, liNa, 'fk 20261118 1'))?.id).toBe(voucher.id);
    expect((await voucherByNumber(app.deps, app.person('liu.yang'), 'FK-20261118-0001'))?.id).toBe(
      voucher.id,
    );
    // Another merchandiser may not read li.na's voucher: the number is not confirmed to them.
    expect(await voucherByNumber(app.deps, app.person('sun.hao'), 'FK-20261118-0001')).toBeNull();
    expect(await voucherByNumber(app.deps, liNa, 'FK-20261118-0002')).toBeNull();
    await expect(voucherByNumber(app.deps, liNa, 'not a number')).rejects.toMatchObject({ statusCode: 400 });
    expect((await getVoucher(app.deps, liNa, voucher.id)).voucher.number).toBe('FK-20261118-0001');
  });
});

const SEEDED = { at: '2026-01-05T09:00:00.000+08:00', actor: 'test', type: 'SEEDED', version: 1 };

/** A second legal entity with its own people, one supplier and one settled order. */
async function anotherEntity() {
  const entityId = 'lianshang-bj';
  const { store } = app.deps;
  await store.people.saveEntity(
    { id: entityId, name: '链尚北京', taxId: '91110000MA00000000' },
    null,
    SEEDED,
  );
  const person = (email: string, name: string, roles: Person['roles']): Person => ({
    email: `${email}@lianshang.example`,
    name,
    entityId,
    roles,
  });
  const merchandiser = person('bj.merch', '北京专员', ['MERCHANDISER']);
  for (const member of [
    merchandiser,
    person('bj.head', '北京负责人', ['HEAD_OF_MERCHANDISING']),
    person('bj.ceo', '北京 CEO', ['CEO']),
    person('bj.finance', '北京财务', ['FINANCE_REVIEWER']),
    person('bj.cashier', '北京出纳', ['CASHIER']),
  ]) {
    await store.people.save(member, null, SEEDED);
  }
  const payee = { ...TEXTILE_PAYEE, name: '北京纸业有限公司' };
  const at = '2026-11-17T09:00:00.000+08:00';
  await store.suppliers.save(
    {
      id: 'SUP-BJ-PAPER',
      entityId,
      name: payee.name,
      bankAccount: payee.account,
      bankName: payee.bank,
      accountType: 'CORPORATE',
      createdAt: at,
      updatedAt: at,
      version: 1,
    },
    null,
    { at, actor: 'test', type: 'SUPPLIER_CREATED', version: 1 },
  );
  await store.orders.save(
    {
      orderId: 'BJ-20261116-0001',
      supplierId: 'SUP-BJ-PAPER',
      amountFen: 1_000_000,
      supplierPayableFen: 900_000,
      receiptConfirmedAt: at,
      fundsCreditedAt: at,
      disputeStatus: 'NONE',
      claimedFen: 0,
      importedAt: at,
      updatedAt: at,
      version: 1,
    },
    null,
    { at, actor: 'test', type: 'ORDER_IMPORTED', version: 1 },
  );
  return { merchandiser, payee };
}
