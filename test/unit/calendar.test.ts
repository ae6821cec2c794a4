import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { addDays } from '../../lib/domain/time.ts';

const calendar = new WorkingDayCalendar();
const day2026 = fc.integer({ min: 0, max: 364 }).map((offset) => addDays('2026-01-01', offset));
const anyDay = fc.integer({ min: 0, max: 8000 }).map((offset) => addDays('2004-01-01', offset));

describe('the 2026 National Day holiday (POLICY D4, D16)', () => {
  it.each(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-07'])('%s is not a working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2026-09-20', 'Sunday'],
    ['2026-10-10', 'Saturday'],
  ])('%s, a %s, is a make-up working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it('takes 2026-09-30 to 2026-10-08 as the next working day', () => {
    expect(calendar.nextWorkingDay('2026-09-30')).toBe('2026-10-08');
  });

  it('takes 2026-10-08 back to 2026-09-30 as the previous working day', () => {
    expect(calendar.previousWorkingDay('2026-10-08')).toBe('2026-09-30');
  });

  it('counts the make-up Saturday among working days', () => {
    expect(calendar.nextWorkingDay('2026-10-09')).toBe('2026-10-10');
  });
});

describe('ordinary weeks', () => {
  it('skips the weekend', () => {
    expect(calendar.nextWorkingDay('2026-11-20')).toBe('2026-11-23');
    expect(calendar.isWorkingDay('2026-11-21')).toBe(false);
  });

  it('counts working days after a day without the day itself (POLICY D13)', () => {
    expect(calendar.addWorkingDays('2026-11-20', 3)).toBe('2026-11-25');
  });
});

describe('overrides (POLICY D16)', () => {
  it('lets the administrator turn a weekday off and a Saturday on', () => {
    const adjusted = new WorkingDayCalendar({
      overrides: [
        { date: '2026-11-23', working: false, reason: 'office move' },
        { date: '2026-11-21', working: true, reason: 'year-end close' },
      ],
    });

    expect(adjusted.isWorkingDay('2026-11-23')).toBe(false);
    expect(adjusted.nextWorkingDay('2026-11-20')).toBe('2026-11-21');
  });
});

describe('a year without official data (POLICY D16)', () => {
  it('reports the year once and falls back to Monday–Friday', () => {
    const reported: number[] = [];
    const future = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    const friday = future.isWorkingDay('2027-01-08');
    const saturday = future.isWorkingDay('2027-01-09');

    expect([friday, saturday]).toEqual([true, false]);
    expect(reported).toEqual([2027]);
  });

  it('reports a crossing from 2026 into 2027', () => {
    const reported: number[] = [];
    const future = new WorkingDayCalendar({ onMissingYear: (year) => reported.push(year) });

    future.nextWorkingDay('2026-12-31');

    expect(reported).toEqual([2027]);
  });

  it('lists the years without a schedule', () => {
    expect(calendar.missingYears(2025, 2028)).toEqual([2027, 2028]);
  });
});

describe('properties', () => {
  it('finds the next working day strictly after, with no working day in between', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const next = calendar.nextWorkingDay(date);
        expect(next > date).toBe(true);
        expect(calendar.isWorkingDay(next)).toBe(true);
        for (let day = addDays(date, 1); day < next; day = addDays(day, 1)) {
          expect(calendar.isWorkingDay(day)).toBe(false);
        }
      }),
    );
  });

  it('finds the previous working day strictly before, with no working day in between', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const previous = calendar.previousWorkingDay(date);
        expect(previous < date).toBe(true);
        expect(calendar.isWorkingDay(previous)).toBe(true);
        for (let day = addDays(previous, 1); day < date; day = addDays(day, 1)) {
          expect(calendar.isWorkingDay(day)).toBe(false);
        }
      }),
    );
  });

  it('has exactly n working days after a date up to and including addWorkingDays(date, n)', () => {
    fc.assert(
      fc.property(day2026, fc.integer({ min: 1, max: 15 }), (date, n) => {
        const end = calendar.addWorkingDays(date, n);
        let count = 0;
        for (let day = addDays(date, 1); day <= end; day = addDays(day, 1))
          if (calendar.isWorkingDay(day)) count++;
        expect(count).toBe(n);
      }),
    );
  });

  it('treats a working day as its own on-or-after and on-or-before', () => {
    fc.assert(
      fc.property(anyDay, (date) => {
        const onOrAfter = calendar.workingDayOnOrAfter(date);
        expect(onOrAfter === date).toBe(calendar.isWorkingDay(date));
        expect(calendar.workingDayOnOrBefore(date) === date).toBe(calendar.isWorkingDay(date));
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
