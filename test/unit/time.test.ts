import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/domain/errors.ts';
import { addDays, isoDayOfWeek, parseInstant, shanghaiDate, toShanghaiIso } from '../../lib/domain/time.ts';

describe('Asia/Shanghai time (POLICY D15)', () => {
  it('runs the suite in a zone far from Shanghai, so these tests mean something', () => {
    expect(new Date('2026-01-01T00:00:00Z').getTimezoneOffset()).not.toBe(-480);
  });

  it('puts 16:00 UTC on the next Shanghai day', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
  });

  it('writes instants with the +08:00 offset', () => {
    expect(toShanghaiIso(new Date('2026-09-30T03:59:59Z'))).toBe('2026-09-30T11:59:59.000+08:00');
  });

  it('reads back every instant it writes', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          expect(parseInstant(toShanghaiIso(d)).getTime()).toBe(d.getTime());
        },
      ),
    );
  });

  it.each([
    '2026-09-30T11:59:59',
    '2026-09-30',
    'yesterday',
    '2026-02-30T10:00:00+08:00',
    '2026-09-30T25:00:00Z',
  ])('refuses "%s" as an instant', (text) => {
    expect(() => parseInstant(text)).toThrowError(ValidationError);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('numbers the days of the week from Monday', () => {
    expect(isoDayOfWeek('2026-11-23')).toBe(1);
    expect(isoDayOfWeek('2026-11-22')).toBe(7);
  });
});
