import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CalendarOverride,
  chineseDaysCalendar,
  type OfficialCalendar,
  WorkingDayCalendar,
} from '../../lib/domain/calendar.ts';
import { RuleViolationError, ValidationError } from '../../lib/domain/errors.ts';
import { addDays } from '../../lib/domain/time.ts';

const calendar = new WorkingDayCalendar();
/** Any day with official data (2004-01-01 … 2026-12-31). */
const anyDay = fc.integer({ min: 0, max: 8400 }).map((offset) => addDays('2004-01-01', offset));
const day2026 = fc.integer({ min: 0, max: 364 }).map((offset) => addDays('2026-01-01', offset));
/** Weekday by the UTC calendar, independent of the code under test (0 = Sunday). */
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

function workingDaysBetween(cal: WorkingDayCalendar, afterExclusive: string, untilInclusive: string): number {
  let count = 0;
  for (let day = addDays(afterExclusive, 1); day <= untilInclusive; day = addDays(day, 1)) {
    if (cal.isWorkingDay(day)) count++;
  }
  return count;
}

describe('the 2026 National Day holiday (POLICY D4, D16)', () => {
  it.each(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'])(
    '%s is not a working day',
    (date) => {
      expect(calendar.isWorkingDay(date)).toBe(false);
    },
  );

  it.each([
    ['2026-09-20', 'Sunday'],
    ['2026-10-10', 'Saturday'],
  ])('%s, a %s, is a make-up working day (调休)', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it('takes 2026-10-08 as the next working day after 2026-09-30', () => {
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
  });

  it('takes 2026-09-30 as the previous working day before 2026-10-08', () => {
    expect(calendar.previousWorkingDay('2026-10-08')).toBe('2026-09-30');
  });

  it('counts the make-up Saturday among working days', () => {
    expect(calendar.nextWorkingDay('2026-10-09')).toBe('2026-10-10');
  });
});

describe('ordinary weeks', () => {
  it('does not work on an ordinary Saturday', () => {
    expect(calendar.isWorkingDay('2026-11-21')).toBe(false);
  });

  it('goes from Friday to Monday', () => {
    expect(calendar.nextWorkingDay('2026-11-20')).toBe('2026-11-23');
  });

  it('goes back from Monday to Friday', () => {
    expect(calendar.previousWorkingDay('2026-11-23')).toBe('2026-11-20');
  });

  it('moves a Sunday forward to Monday on or after it', () => {
    expect(calendar.workingDayOnOrAfter('2026-11-22')).toBe('2026-11-23');
  });

  it('moves a Sunday back to Friday on or before it (the invoice batch day, D12)', () => {
    expect(calendar.workingDayOnOrBefore('2026-10-25')).toBe('2026-10-23');
  });

  it('counts working days after a day without the day itself (POLICY D13)', () => {
    expect(calendar.addWorkingDays('2026-11-20', 3)).toBe('2026-11-25');
  });

  it('counts three working days after a batch handed over before National Day to 2026-10-09 (D13)', () => {
    expect(calendar.addWorkingDays('2026-09-29', 3)).toBe('2026-10-09');
  });

  it('refuses to add zero working days', () => {
    expect(() => calendar.addWorkingDays('2026-11-20', 0)).toThrowError(RangeError);
  });

  it('refuses a day that does not exist', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrowError(ValidationError);
  });
});

describe('overrides (POLICY D16)', () => {
  it('lets the administrator turn a weekday off', () => {
    const adjusted = new WorkingDayCalendar({
      overrides: [{ date: '2026-11-23', working: false, reason: 'office move' }],
    });

    expect(adjusted.isWorkingDay('2026-11-23')).toBe(false);
  });

  it('lets the administrator turn a Saturday on', () => {
    const adjusted = new WorkingDayCalendar({
      overrides: [{ date: '2026-11-21', working: true, reason: 'year-end close' }],
    });

    expect(adjusted.nextWorkingDay('2026-11-20')).toBe('2026-11-21');
  });

  it('lets an override win over an official holiday', () => {
    const adjusted = new WorkingDayCalendar({
      overrides: [{ date: '2026-10-02', working: true, reason: 'payment run during the holiday' }],
    });

    expect(adjusted.nextWorkingDay('2026-09-30')).toBe('2026-10-02');
  });

  it('refuses two overrides that contradict each other on one day', () => {
    const overrides: CalendarOverride[] = [
      { date: '2026-11-23', working: false, reason: 'office move' },
      { date: '2026-11-23', working: true, reason: 'year-end close' },
    ];

    expect(() => new WorkingDayCalendar({ overrides })).toThrowError(/2026-11-23/);
  });

  it('refuses an override for a day that does not exist', () => {
    expect(
      () => new WorkingDayCalendar({ overrides: [{ date: '2026-02-30', working: false, reason: 'typo' }] }),
    ).toThrowError(ValidationError);
  });

  it('stops searching, with a clear error, when overrides leave no working day for over a year', () => {
    const overrides = Array.from({ length: 400 }, (_, i) => ({
      date: addDays('2026-11-21', i),
      working: false,
      reason: 'closed',
    }));
    const closed = new WorkingDayCalendar({ overrides });

    expect(() => closed.nextWorkingDay('2026-11-20')).toThrowError(RuleViolationError);
  });

  it('keeps next and previous working days right under any overrides', () => {
    const overrides = fc.uniqueArray(
      fc.record({ offset: fc.integer({ min: 0, max: 364 }), working: fc.boolean() }),
      { selector: (override) => override.offset, maxLength: 60 },
    );
    fc.assert(
      fc.property(overrides, day2026, (chosen, date) => {
        // Prepare
        const adjusted = new WorkingDayCalendar({
          overrides: chosen.map(({ offset, working }) => ({
            date: addDays('2026-01-01', offset),
            working,
            reason: 'test',
          })),
        });

        // Act
        const next = adjusted.nextWorkingDay(date);
        const previous = adjusted.previousWorkingDay(date);

        // Assert
        expect(adjusted.isWorkingDay(next) && adjusted.isWorkingDay(previous)).toBe(true);
        expect(workingDaysBetween(adjusted, date, next)).toBe(1);
        expect(workingDaysBetween(adjusted, previous, addDays(date, -1))).toBe(0);
        expect(previous < date && date < next).toBe(true);
      }),
    );
  });

  it('uses an injected official calendar instead of the package', () => {
    const everyDay: OfficialCalendar = { isWorkday: () => true, hasOfficialData: () => true };

    expect(new WorkingDayCalendar({ official: everyDay }).isWorkingDay('2026-10-01')).toBe(true);
  });
});

describe('a year without official data (POLICY D16)', () => {
  it('knows the package has official data for 2004 through 2026 and none for 2003 or 2027', () => {
    expect([2003, 2004, 2026, 2027].map((year) => chineseDaysCalendar.hasOfficialData(year))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('reports 2027 when asked about a 2027 day', () => {
    const reported: number[] = [];
    const future = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    future.isWorkingDay('2027-01-08');

    expect(reported).toEqual([2027]);
  });

  it('reports a missing year once per calendar, however often it is asked', () => {
    const reported: number[] = [];
    const future = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    future.addWorkingDays('2027-01-04', 40);
    future.isWorkingDay('2027-06-01');

    expect(reported).toEqual([2027]);
  });

  it('reports 2027 when the next working day after 2026-12-31 is looked up', () => {
    const reported: number[] = [];
    const future = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    future.nextWorkingDay('2026-12-31');

    expect(reported).toEqual([2027]);
  });

  it('does not report a year that has official data', () => {
    const reported: number[] = [];
    const current = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    current.addWorkingDays('2026-01-05', 200);

    expect(reported).toEqual([]);
  });

  it('falls back to Monday to Friday in a year without official data', () => {
    const future = new WorkingDayCalendar({ onMissingYear: () => undefined });
    const years2027to2030 = fc
      .integer({ min: 0, max: 4 * 365 })
      .map((offset) => addDays('2027-01-01', offset));

    fc.assert(
      fc.property(years2027to2030, (date) => {
        expect(future.isWorkingDay(date)).toBe(weekday(date) >= 1 && weekday(date) <= 5);
      }),
    );
  });

  it('lists the years without a schedule', () => {
    expect(calendar.missingYears(2025, 2028)).toEqual([2027, 2028]);
  });
});

describe('properties over 2004–2026', () => {
  it('finds the next working day strictly after, with no working day in between', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const next = calendar.nextWorkingDay(date);

        expect(next > date).toBe(true);
        expect(calendar.isWorkingDay(next)).toBe(true);
        expect(workingDaysBetween(calendar, date, addDays(next, -1))).toBe(0);
      }),
    );
  });

  it('finds the previous working day strictly before, with no working day in between', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const previous = calendar.previousWorkingDay(date);

        expect(previous < date).toBe(true);
        expect(calendar.isWorkingDay(previous)).toBe(true);
        expect(workingDaysBetween(calendar, previous, addDays(date, -1))).toBe(0);
      }),
    );
  });

  it('has exactly n working days after a date up to and including addWorkingDays(date, n)', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 1, max: 20 }), (date, n) => {
        const end = calendar.addWorkingDays(date, n);

        expect(calendar.isWorkingDay(end)).toBe(true);
        expect(workingDaysBetween(calendar, date, end)).toBe(n);
      }),
    );
  });

  it('adds working days in steps the same as all at once', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), (date, m, n) => {
        expect(calendar.addWorkingDays(calendar.addWorkingDays(date, m), n)).toBe(
          calendar.addWorkingDays(date, m + n),
        );
      }),
    );
  });

  it('returns a working day itself as its own on-or-after and on-or-before', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        fc.pre(calendar.isWorkingDay(date));

        expect([calendar.workingDayOnOrAfter(date), calendar.workingDayOnOrBefore(date)]).toEqual([
          date,
          date,
        ]);
      }),
    );
  });

  it('moves a non-working day to the neighbouring working days', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        fc.pre(!calendar.isWorkingDay(date));

        expect(calendar.workingDayOnOrAfter(date)).toBe(calendar.nextWorkingDay(date));
        expect(calendar.workingDayOnOrBefore(date)).toBe(calendar.previousWorkingDay(date));
      }),
    );
  });
});

describe('independence from the machine’s time zone (POLICY D15)', () => {
  it('agrees, in this zone, with the package’s own answers computed on Shanghai time for 2004–2026', () => {
    // chinese-days' isWorkday() is right only when the process runs on Shanghai time, so ask it in a
    // child process with TZ=Asia/Shanghai; our calendar must give the same answers in this suite's zone.
    const script = `
      import cd from 'chinese-days';
      const out = {};
      for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86400000) {
        const day = new Date(t).toISOString().slice(0, 10);
        out[day] = cd.isWorkday(day);
      }
      console.log(JSON.stringify(out));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'Asia/Shanghai' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    const expected = Object.entries(JSON.parse(output) as Record<string, boolean>);
    const disagreements = expected.filter(([day, working]) => calendar.isWorkingDay(day) !== working);

    expect(expected.length).toBeGreaterThan(8000);
    expect(disagreements).toEqual([]);
  });
});
