import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/domain/errors.ts';
import {
  addDays,
  BUSINESS_TIME_ZONE,
  isLocalDate,
  isoDayOfWeek,
  parseInstant,
  shanghaiDate,
  shanghaiTimeOfDayMs,
  toShanghaiIso,
} from '../../lib/domain/time.ts';

/** The day in Shanghai as the platform's own time-zone database sees it: an oracle independent of ours. */
const intlShanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
// China has had no daylight saving since 1991, so the fixed +08:00 is right from 1992 on.
const instants = fc.date({
  min: new Date('1992-01-01T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const days = fc.integer({ min: 0, max: 365 * 60 }).map((offset) => addDays('2000-01-01', offset));

describe('Asia/Shanghai time (POLICY D15)', () => {
  it('runs the suite in a zone far from Shanghai, so the tests below mean something', () => {
    expect(new Date('2026-01-01T00:00:00Z').getTimezoneOffset()).not.toBe(-480);
  });

  it('names Asia/Shanghai as the business time zone', () => {
    expect(BUSINESS_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it('puts 16:00 UTC on the next Shanghai day', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
  });

  it('keeps 15:59:59.999 UTC on the same Shanghai day', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
  });

  it('agrees with the time-zone database on the Shanghai day of any instant', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        expect(shanghaiDate(instant)).toBe(intlShanghaiDate.format(instant));
      }),
    );
  });

  it('writes instants with the +08:00 offset', () => {
    expect(toShanghaiIso(new Date('2026-09-30T03:59:59Z'))).toBe('2026-09-30T11:59:59.000+08:00');
  });

  it('writes an instant whose date part is its Shanghai day', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        expect(toShanghaiIso(instant).slice(0, 10)).toBe(shanghaiDate(instant));
      }),
    );
  });

  it('reads back every instant it writes', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        expect(parseInstant(toShanghaiIso(instant)).getTime()).toBe(instant.getTime());
      }),
    );
  });

  it('measures the time of day from Shanghai midnight', () => {
    expect(shanghaiTimeOfDayMs(new Date('2026-11-18T03:59:59.999Z'))).toBe(12 * 3_600_000 - 1);
  });

  it('refuses an invalid Date rather than inventing a day', () => {
    expect(() => shanghaiDate(new Date('not a date'))).toThrowError(RangeError);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-09-30T11:59:59+08:00', '2026-09-30T03:59:59.000Z'],
    ['2026-09-30T03:59:59Z', '2026-09-30T03:59:59.000Z'],
    ['2026-09-29T22:59:59.5-05:00', '2026-09-30T03:59:59.500Z'],
    ['2026-09-30T11:59+08:00', '2026-09-30T03:59:00.000Z'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-09-30T11:59:59', 'no offset'],
    ['2026-09-30', 'a date alone'],
    ['yesterday', 'not a time'],
    ['', 'empty'],
    ['2026-02-30T10:00:00+08:00', 'no 30 February'],
    ['2026-09-30T25:00:00Z', 'no 25th hour'],
    ['2026-09-30T10:60:00Z', 'no 60th minute'],
    ['2026-09-30T10:00:60Z', 'no 60th second'],
    ['2026-09-30T10:00:00+0800', 'an offset without a colon'],
    ['2026-09-30 10:00:00+08:00', 'a space for the T'],
  ])('refuses "%s" (%s)', (text) => {
    expect(() => parseInstant(text)).toThrowError(ValidationError);
  });

  it('refuses any written instant once its offset is cut off', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        expect(() => parseInstant(toShanghaiIso(instant).slice(0, -6))).toThrowError(ValidationError);
      }),
    );
  });
});

describe('calendar days', () => {
  it('adds days across a year end', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('subtracts days across the end of February', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows 29 February of a leap year', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('undoes adding days by subtracting them', () => {
    fc.assert(
      fc.property(days, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it('numbers Monday 1 and Sunday 7', () => {
    expect([isoDayOfWeek('2026-11-23'), isoDayOfWeek('2026-11-22')]).toEqual([1, 7]);
  });

  it('moves to the next day of the week with each day added', () => {
    fc.assert(
      fc.property(days, (date) => {
        expect(isoDayOfWeek(addDays(date, 1))).toBe((isoDayOfWeek(date) % 7) + 1);
      }),
    );
  });

  it.each(['2026-09-30', '2024-02-29'])('accepts %s as a calendar day', (text) => {
    expect(isLocalDate(text)).toBe(true);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-9-30', '2026-09-30T00:00:00Z', ''])(
    'does not take "%s" for a calendar day',
    (text) => {
      expect(isLocalDate(text)).toBe(false);
    },
  );

  it('refuses to do arithmetic on something that is not a calendar day', () => {
    expect(() => addDays('2026-02-30', 1)).toThrowError(ValidationError);
  });
});
