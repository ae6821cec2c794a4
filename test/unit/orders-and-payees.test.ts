import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlatformOrder, Supplier } from '../../lib/domain/model.ts';
import { allocateAmount, assertOrdersPayable, remainingPayableFen } from '../../lib/domain/orders.ts';
import { maskAccount, payeeFlags } from '../../lib/domain/supplier-checks.ts';
import { isValidUscc } from '../../lib/domain/uscc.ts';

const order = (orderId: string, extra: Partial<PlatformOrder> = {}): PlatformOrder => ({
  orderId,
  supplierId: 'S1',
  amountFen: 100_000,
  supplierPayableFen: 90_000,
  receiptConfirmedAt: '2026-11-16T10:00:00.000+08:00',
  fundsCreditedAt: '2026-11-17T10:00:00.000+08:00',
  disputeStatus: 'NONE',
  claimedFen: 0,
  importedAt: '2026-11-17T10:00:00.000+08:00',
  updatedAt: '2026-11-17T10:00:00.000+08:00',
  version: 1,
  ...extra,
});
const check =
  (orders: PlatformOrder[], orderIds = orders.map((o) => o.orderId)) =>
  () =>
    assertOrdersPayable({ supplierId: 'S1', orderIds, orders: new Map(orders.map((o) => [o.orderId, o])) });

describe('orders must be settled (POLICY 2.1(1), D7)', () => {
  it('accepts settled orders of the supplier without a dispute', () => {
    expect(check([order('a'), order('b', { disputeStatus: 'CLOSED' })])).not.toThrow();
  });

  it('refuses an order whose funds have not arrived, naming it and the reason', () => {
    expect(check([order('a'), order('b', { fundsCreditedAt: null })])).toThrowError(
      /Order b is not settled: the funds have not reached the company account/,
    );
  });

  it('reports every failing order as an issue', () => {
    try {
      check([order('a', { disputeStatus: 'OPEN' }), order('b', { receiptConfirmedAt: null })])();
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'ORDER_DISPUTED',
        issues: [{ path: 'orderIds.0' }, { path: 'orderIds.1' }],
      });
    }
  });

  it('refuses an order cited twice', () => {
    expect(check([order('a')], ['a', 'a'])).toThrowError(/cited twice/);
  });
});

describe('allocation against what the orders still owe', () => {
  it('fills the orders in the order given', () => {
    expect(allocateAmount(120_000, [order('a'), order('b', { claimedFen: 30_000 })])).toEqual([
      { orderId: 'a', amountFen: 90_000 },
      { orderId: 'b', amountFen: 30_000 },
    ]);
  });

  it('refuses one fen more than is owed', () => {
    expect(() => allocateAmount(90_001, [order('a')])).toThrowError(/more than the cited orders still owe/);
  });

  it('allocates exactly the amount and never beyond an order’s remainder', () => {
    const orders = fc.array(
      fc.record({
        payable: fc.integer({ min: 0, max: 1_000_000 }),
        claimed: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(orders, fc.integer({ min: 1, max: 6_000_000 }), (specs, amount) => {
        const list = specs.map((spec, i) =>
          order(`o${i}`, { supplierPayableFen: spec.payable, claimedFen: spec.claimed }),
        );
        const owed = list.reduce((sum, o) => sum + remainingPayableFen(o), 0);
        if (amount > owed) {
          expect(() => allocateAmount(amount, list)).toThrow();
          return;
        }
        const allocations = allocateAmount(amount, list);
        expect(allocations.reduce((sum, a) => sum + a.amountFen, 0)).toBe(amount);
        for (const allocation of allocations) {
          const target = list.find((o) => o.orderId === allocation.orderId);
          expect(allocation.amountFen).toBeGreaterThan(0);
          expect(allocation.amountFen).toBeLessThanOrEqual(target ? remainingPayableFen(target) : 0);
        }
      }),
    );
  });
});

const supplier: Pick<Supplier, 'name' | 'bankAccount' | 'bankName' | 'accountType'> = {
  name: '杭州织锦服饰有限公司',
  bankAccount: '3301 0400 0001 2345 678',
  bankName: '中国工商银行杭州西湖支行',
  accountType: 'CORPORATE',
};

describe('payee checks (POLICY D8)', () => {
  it('passes a payee that matches the master data up to spacing and full-width characters', () => {
    expect(
      payeeFlags(
        {
          name: ' 杭州织锦服饰有限公司 ',
          account: '３３０１-0400-0001-2345-678',
          bank: '中国工商银行杭州西湖支行',
        },
        supplier,
      ),
    ).toEqual([]);
  });

  it('flags a different account without printing it in full', () => {
    const [flag] = payeeFlags(
      { name: supplier.name, account: '6222 0000 1111 9999', bank: supplier.bankName },
      supplier,
    );

    expect(flag?.code).toBe('BANK_DETAILS_MISMATCH');
    expect(flag?.message).toContain('9999');
    expect(flag?.message).not.toContain('6222 0000 1111');
  });

  it('flags every payment to a personal account', () => {
    const flags = payeeFlags(
      { name: supplier.name, account: supplier.bankAccount, bank: supplier.bankName },
      { ...supplier, accountType: 'PERSONAL' },
    );

    expect(flags.map((flag) => flag.code)).toEqual(['PERSONAL_ACCOUNT']);
  });

  it('masks an account down to its last four digits', () => {
    expect(maskAccount('3301 0400 0001 2345 678')).toBe('**** **** 5678');
  });
});

describe('unified social credit code', () => {
  it('accepts a valid code', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('rejects the code with any one character changed', () => {
    const valid = '91350100M000100Y43';
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...alphabet), (position, replacement) => {
        fc.pre(valid[position] !== replacement);
        const changed = `${valid.slice(0, position)}${replacement}${valid.slice(position + 1)}`;
        expect(isValidUscc(changed)).toBe(false);
      }),
    );
  });

  it('rejects letters outside the code alphabet', () => {
    expect(isValidUscc('91350100M000100I43')).toBe(false);
  });
});
