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
  it('sums vouchers to the same supplier on the same day', () => {
    const group = splitGroupFor(voucher('b', 24_000_000), [voucher('a', 26_000_000)], THRESHOLD);

    expect(group).toEqual({ memberIds: ['a'], aggregateFen: 50_000_000, possibleSplit: true });
  });

  it('sums vouchers sharing an order across suppliers’ days', () => {
    const group = splitGroupFor(
      voucher('b', 30_000_000, { orderIds: ['o1'], submittedOn: '2026-11-19' }),
      [voucher('a', 20_000_000, { orderIds: ['o1', 'o2'] })],
      THRESHOLD,
    );

    expect(group.possibleSplit).toBe(true);
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

  it('does not flag a group that stays below the threshold', () => {
    expect(splitGroupFor(voucher('b', 10_000_000), [voucher('a', 39_999_999)], THRESHOLD).possibleSplit).toBe(
      false,
    );
  });

  it('flags exactly when there are members and the sum reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: THRESHOLD }),
        fc.array(fc.integer({ min: 1, max: THRESHOLD }), { maxLength: 5 }),
        (amount, others) => {
          const existing = others.map((fen, index) => voucher(`v${index}`, fen));
          const group = splitGroupFor(voucher('new', amount), existing, THRESHOLD);
          const sum = others.reduce((total, fen) => total + fen, amount);
          expect(group.aggregateFen).toBe(sum);
          expect(group.possibleSplit).toBe(others.length > 0 && sum >= THRESHOLD);
        },
      ),
    );
  });
});
