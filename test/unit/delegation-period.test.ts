import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delegationPeriodIssues, lastDelegableDay } from '../../lib/domain/delegation-period.ts';
import { addDays } from '../../lib/domain/time.ts';

const paths = (validFrom: string, validTo: string, today = '2026-11-18') =>
  delegationPeriodIssues({ validFrom, validTo }, today).map((issue) => issue.path);

describe('the days a delegation may cover (POLICY D18)', () => {
  it('accepts a delegation from today to a year on, less a day', () => {
    expect(paths('2026-11-18', '2027-11-17')).toEqual([]);
  });

  it('refuses one that ends a year on or later', () => {
    expect(paths('2026-11-18', '2027-11-18')).toEqual(['validTo']);
  });

  it('refuses one from 0000-01-01 to 9999-12-31 at both ends', () => {
    expect(paths('0000-01-01', '9999-12-31')).toEqual(['validFrom', 'validTo']);
  });

  it('refuses one that started yesterday', () => {
    expect(paths('2026-11-17', '2026-11-20')).toEqual(['validFrom']);
  });

  it('refuses one that ends before it starts', () => {
    expect(paths('2026-11-20', '2026-11-19')).toEqual(['validTo']);
  });

  it('ends a year after 29 February on 28 February', () => {
    expect(lastDelegableDay('2028-02-29')).toBe('2029-02-28');
    expect(lastDelegableDay('2026-01-01')).toBe('2026-12-31');
  });

  it('accepts every period inside the year from today, and nothing that reaches past it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (start, length) => {
        const validFrom = addDays('2026-11-18', start);
        const validTo = addDays(validFrom, length);

        const fine = validTo <= '2027-11-17';
        expect(paths(validFrom, validTo)).toEqual(fine ? [] : ['validTo']);
      }),
    );
  });
});
