import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError } from '../../lib/domain/errors.ts';
import type { PlatformOrder } from '../../lib/domain/model.ts';
import {
  allocateAmount,
  assertOrdersPayable,
  isSettled,
  remainingPayableFen,
} from '../../lib/domain/orders.ts';

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

describe('settled orders (POLICY 2.1(1), D7)', () => {
  it('counts an order with receipt confirmed and funds credited as settled', () => {
    expect(isSettled(order('a'))).toBe(true);
  });

  it('does not count an order without confirmed receipt as settled', () => {
    expect(isSettled(order('a', { receiptConfirmedAt: null }))).toBe(false);
  });

  it('does not count an order whose funds have not arrived as settled', () => {
    expect(isSettled(order('a', { fundsCreditedAt: null }))).toBe(false);
  });
});

describe('orders a voucher may cite (POLICY 2.1(1), D7)', () => {
  it('accepts settled orders of the supplier without an open dispute', () => {
    expect(check([order('a'), order('b', { disputeStatus: 'CLOSED' })])).not.toThrow();
  });

  it('refuses a voucher without orders', () => {
    expect(check([], [])).toThrowError(expect.objectContaining({ code: 'NO_ORDERS' }));
  });

  it('refuses an order that was never imported, naming it', () => {
    expect(check([order('a')], ['a', 'zz'])).toThrowError(
      expect.objectContaining({ code: 'ORDER_NOT_FOUND', message: expect.stringContaining('Order zz') }),
    );
  });

  it('refuses an order of another supplier, naming it', () => {
    expect(check([order('a', { supplierId: 'S2' })])).toThrowError(
      expect.objectContaining({
        code: 'ORDER_SUPPLIER_MISMATCH',
        message: expect.stringContaining('Order a'),
      }),
    );
  });

  it('refuses an order whose funds have not arrived, naming it and what is missing', () => {
    expect(check([order('a'), order('b', { fundsCreditedAt: null })])).toThrowError(
      'Order b is not settled: the funds have not reached the company account',
    );
  });

  it('refuses an order whose receipt is not confirmed, naming what is missing', () => {
    expect(check([order('b', { receiptConfirmedAt: null })])).toThrowError(
      'the customer has not confirmed receipt (POLICY 2.1(1))',
    );
  });

  it('names both missing steps when neither has happened', () => {
    expect(check([order('b', { receiptConfirmedAt: null, fundsCreditedAt: null })])).toThrowError(
      'the customer has not confirmed receipt and the funds have not reached the company account',
    );
  });

  it('refuses an order with an open refund or dispute, naming it', () => {
    expect(check([order('a', { disputeStatus: 'OPEN' })])).toThrowError(
      expect.objectContaining({ code: 'ORDER_DISPUTED', message: expect.stringContaining('Order a') }),
    );
  });

  it('refuses an order cited twice as invalid input, pointing at the second citation', () => {
    expect(check([order('a')], ['a', 'b', 'a'])).toThrowError(
      expect.objectContaining({
        constructor: ValidationError,
        message: expect.stringContaining('Order a is cited twice'),
        issues: [{ path: 'orderIds.2', message: '订单 a 引用了两次 order a is cited twice' }],
      }),
    );
  });

  it('reports the first failing order and lists an issue for every failing one', () => {
    expect(
      check([order('a'), order('b', { disputeStatus: 'OPEN' }), order('c', { receiptConfirmedAt: null })]),
    ).toThrowError(
      expect.objectContaining({
        code: 'ORDER_DISPUTED',
        issues: [
          { path: 'orderIds.1', message: expect.stringContaining('Order b') },
          { path: 'orderIds.2', message: expect.stringContaining('Order c') },
        ],
      }),
    );
  });

  it('lists an issue for exactly the failing orders, in the order given', () => {
    const state = fc.constantFrom(
      'ok',
      'missing',
      'other-supplier',
      'no-receipt',
      'no-funds',
      'disputed',
      'closed',
    );
    fc.assert(
      fc.property(fc.array(state, { minLength: 1, maxLength: 8 }), (states) => {
        // Prepare
        const ids = states.map((_, i) => `o${i}`);
        const orders = states.flatMap((s, i): PlatformOrder[] => {
          const id = `o${i}`;
          if (s === 'missing') return [];
          if (s === 'other-supplier') return [order(id, { supplierId: 'S2' })];
          if (s === 'no-receipt') return [order(id, { receiptConfirmedAt: null })];
          if (s === 'no-funds') return [order(id, { fundsCreditedAt: null })];
          if (s === 'disputed') return [order(id, { disputeStatus: 'OPEN' })];
          if (s === 'closed') return [order(id, { disputeStatus: 'CLOSED' })];
          return [order(id)];
        });
        const failing = states.flatMap((s, i) => (s === 'ok' || s === 'closed' ? [] : [`orderIds.${i}`]));

        // Act
        let caught: unknown = null;
        try {
          check(orders, ids)();
        } catch (error) {
          caught = error;
        }

        // Assert
        if (failing.length === 0) expect(caught).toBeNull();
        else {
          expect(caught).toBeInstanceOf(RuleViolationError);
          expect((caught as RuleViolationError).issues.map((issue) => issue.path)).toEqual(failing);
        }
      }),
    );
  });
});

describe('what an order still owes its supplier', () => {
  it('is what is payable to the supplier less what vouchers already claim', () => {
    expect(remainingPayableFen(order('a', { claimedFen: 30_000 }))).toBe(60_000);
  });

  it('is never below zero, even when over-claimed', () => {
    expect(remainingPayableFen(order('a', { claimedFen: 100_000 }))).toBe(0);
  });
});

describe('allocating a voucher’s amount to its orders', () => {
  it('fills the orders in the order given', () => {
    expect(allocateAmount(120_000, [order('a'), order('b', { claimedFen: 30_000 })])).toEqual([
      { orderId: 'a', amountFen: 90_000 },
      { orderId: 'b', amountFen: 30_000 },
    ]);
  });

  it('leaves out orders that get nothing', () => {
    expect(allocateAmount(10_000, [order('a', { claimedFen: 90_000 }), order('b'), order('c')])).toEqual([
      { orderId: 'b', amountFen: 10_000 },
    ]);
  });

  it('accepts exactly what the orders still owe', () => {
    expect(allocateAmount(180_000, [order('a'), order('b')])).toHaveLength(2);
  });

  it('refuses one fen more than is owed, with both amounts in yuan', () => {
    expect(() => allocateAmount(90_001, [order('a')])).toThrowError(
      expect.objectContaining({
        code: 'AMOUNT_EXCEEDS_PAYABLE',
        message: expect.stringMatching(/900\.01 .*\(900\.00/),
      }),
    );
  });

  it('refuses a zero amount', () => {
    expect(() => allocateAmount(0, [order('a')])).toThrowError(ValidationError);
  });

  it('refuses an order listed twice rather than claim its remainder twice', () => {
    expect(() => allocateAmount(100_000, [order('a'), order('a')])).toThrowError(/listed twice/);
  });

  it('allocates exactly the amount, never beyond an order’s remainder, filling earlier orders first', () => {
    const specs = fc.array(
      fc.record({
        payable: fc.integer({ min: 0, max: 1_000_000 }),
        claimed: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(specs, fc.integer({ min: 1, max: 6_000_000 }), (list, amount) => {
        // Prepare
        const orders = list.map((spec, i) =>
          order(`o${i}`, { supplierPayableFen: spec.payable, claimedFen: spec.claimed }),
        );
        const owed = orders.reduce((sum, o) => sum + remainingPayableFen(o), 0);
        fc.pre(amount <= owed);

        // Act
        const allocations = allocateAmount(amount, orders);

        // Assert
        expect(allocations.reduce((sum, a) => sum + a.amountFen, 0)).toBe(amount);
        const remaining = new Map(orders.map((o) => [o.orderId, remainingPayableFen(o)]));
        for (const allocation of allocations) {
          expect(allocation.amountFen).toBeGreaterThan(0);
          expect(allocation.amountFen).toBeLessThanOrEqual(remaining.get(allocation.orderId) ?? 0);
        }
        for (const allocation of allocations.slice(0, -1)) {
          expect(allocation.amountFen).toBe(remaining.get(allocation.orderId));
        }
      }),
    );
  });

  it('refuses every amount above what the orders still owe', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (payables, excess) => {
          const orders = payables.map((payable, i) => order(`o${i}`, { supplierPayableFen: payable }));
          const owed = payables.reduce((sum, fen) => sum + fen, 0);

          expect(() => allocateAmount(owed + excess, orders)).toThrowError(RuleViolationError);
        },
      ),
    );
  });
});
