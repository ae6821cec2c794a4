import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SplitCandidate, splitGroupFor } from '../../lib/domain/split.ts';

const THRESHOLD = 50_000_000;
const voucher = (
  voucherId: string,
  amountFen: number,
  extra: Partial<SplitCandidate> = {},
): SplitCandidate => ({
  voucherId,
  amountFen,
  orderIds: [`order-${voucherId}`],
  supplierId: 'S1',
  submittedOn: '2026-11-18',
  ...extra,
});

describe('split aggregation (POLICY D2)', () => {
  it('sums vouchers to the same supplier on the same day and flags the group at the threshold', () => {
    const group = splitGroupFor(voucher('b', 24_000_000), [voucher('a', 26_000_000)], THRESHOLD);

    expect(group).toEqual({ memberIds: ['a'], aggregateFen: 50_000_000, possibleSplit: true });
  });

  it('sums vouchers that share a platform order, even to another supplier on another day', () => {
    const group = splitGroupFor(
      voucher('b', 30_000_000, { orderIds: ['o1'], supplierId: 'S2', submittedOn: '2026-11-19' }),
      [voucher('a', 20_000_000, { orderIds: ['o2', 'o1'] })],
      THRESHOLD,
    );

    expect(group).toEqual({ memberIds: ['a'], aggregateFen: 50_000_000, possibleSplit: true });
  });

  it('leaves apart vouchers of another supplier or another day without a shared order', () => {
    const group = splitGroupFor(
      voucher('c', 40_000_000),
      [
        voucher('a', 40_000_000, { supplierId: 'S2' }),
        voucher('b', 40_000_000, { submittedOn: '2026-11-17' }),
      ],
      THRESHOLD,
    );

    expect(group).toEqual({ memberIds: [], aggregateFen: 40_000_000, possibleSplit: false });
  });

  it('does not flag a group that stays one fen below the threshold', () => {
    expect(splitGroupFor(voucher('b', 10_000_000), [voucher('a', 39_999_999)], THRESHOLD).possibleSplit).toBe(
      false,
    );
  });

  it('does not flag a lone voucher at the threshold as a split (its own amount already needs the CEO)', () => {
    expect(splitGroupFor(voucher('a', THRESHOLD), [], THRESHOLD)).toEqual({
      memberIds: [],
      aggregateFen: THRESHOLD,
      possibleSplit: false,
    });
  });

  it('does not count a new version of the same voucher against itself', () => {
    const group = splitGroupFor(voucher('a', 30_000_000), [voucher('a', 30_000_000)], THRESHOLD);

    expect(group).toEqual({ memberIds: [], aggregateFen: 30_000_000, possibleSplit: false });
  });

  it('counts a voucher listed twice once', () => {
    const group = splitGroupFor(
      voucher('b', 10_000_000),
      [voucher('a', 20_000_000), voucher('a', 20_000_000)],
      THRESHOLD,
    );

    expect(group.aggregateFen).toBe(30_000_000);
  });

  it('takes only direct neighbours, not vouchers linked to them alone', () => {
    // a shares order o1 with b; c goes to b's supplier on b's day but has nothing in common with a.
    const a = voucher('a', 30_000_000, { orderIds: ['o1'], supplierId: 'S9', submittedOn: '2026-11-10' });
    const b = voucher('b', 10_000_000, { orderIds: ['o1', 'o2'] });

    const group = splitGroupFor(voucher('c', 15_000_000), [a, b], THRESHOLD);

    expect(group.memberIds).toEqual(['b']);
  });

  it('groups exactly the vouchers that share an order or the supplier and day, and sums them', () => {
    const candidate = fc.record({
      amountFen: fc.integer({ min: 1, max: THRESHOLD }),
      orderIds: fc.uniqueArray(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6'), {
        minLength: 1,
        maxLength: 3,
      }),
      supplierId: fc.constantFrom('S1', 'S2'),
      submittedOn: fc.constantFrom('2026-11-17', '2026-11-18'),
    });
    fc.assert(
      fc.property(candidate, fc.array(candidate, { maxLength: 8 }), (mine, others) => {
        // Prepare
        const existing = others.map((other, i) => ({ ...other, voucherId: `v${i}` }));
        const expectedMembers = existing.filter(
          (other) =>
            other.orderIds.some((id) => mine.orderIds.includes(id)) ||
            (other.supplierId === mine.supplierId && other.submittedOn === mine.submittedOn),
        );
        const expectedSum = expectedMembers.reduce((sum, member) => sum + member.amountFen, mine.amountFen);

        // Act
        const group = splitGroupFor({ ...mine, voucherId: 'new' }, existing, THRESHOLD);

        // Assert
        expect(group.memberIds).toEqual(expectedMembers.map((member) => member.voucherId));
        expect(group.aggregateFen).toBe(expectedSum);
        expect(group.possibleSplit).toBe(expectedMembers.length > 0 && expectedSum >= THRESHOLD);
      }),
    );
  });

  it('flags a group of same-day vouchers exactly when it reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: THRESHOLD }),
        fc.array(fc.integer({ min: 1, max: THRESHOLD }), { minLength: 1, maxLength: 5 }),
        (amount, others) => {
          const existing = others.map((fen, index) => voucher(`v${index}`, fen));

          const group = splitGroupFor(voucher('new', amount), existing, THRESHOLD);

          expect(group.possibleSplit).toBe(others.reduce((total, fen) => total + fen, amount) >= THRESHOLD);
        },
      ),
    );
  });
});
