/**
 * The mainland-China working-day calendar (POLICY D4, D12, D13, D16): official holidays and make-up
 * working days (调休) from the `chinese-days` package, with the administrator's overrides on top.
 * A year the package has no official schedule for is reported through `onMissingYear` and falls back
 * to Monday–Friday — loudly, never silently.
 *
 * We read the package's data, not its `isWorkday()`: that function judges weekends in the machine's
 * time zone (under TZ=America/Los_Angeles it calls Saturday 2026-11-21 a working day), and POLICY D15
 * wants the same answer on every machine.
 */
import officialData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { RuleViolationError, ValidationError } from './errors.ts';
import type { LocalDate } from './model.ts';
import { addDays, assertLocalDate, isoDayOfWeek } from './time.ts';

export interface CalendarOverride {
  date: LocalDate;
  working: boolean;
  reason: string;
}

export interface OfficialCalendar {
  isWorkday(date: LocalDate): boolean;
  hasOfficialData(year: number): boolean;
}

const officialHolidays: Readonly<Record<string, string>> = officialData.holidays;
const makeUpWorkdays: Readonly<Record<string, string>> = officialData.workdays;

/** A year counts as published when the package lists any holiday, make-up day or day in lieu of it. */
const officialYears: ReadonlySet<number> = new Set(
  [officialData.holidays, officialData.workdays, officialData.inLieuDays]
    .flatMap((days) => Object.keys(days))
    .map((date) => Number(date.slice(0, 4))),
);

export const chineseDaysCalendar: OfficialCalendar = {
  isWorkday(date) {
    assertLocalDate(date);
    // POLICY D4: make-up working days (调休) work even on a weekend; official holidays never do.
    if (Object.hasOwn(makeUpWorkdays, date)) return true;
    return !Object.hasOwn(officialHolidays, date) && isoDayOfWeek(date) <= 5;
  },
  hasOfficialData: (year) => officialYears.has(year),
};

/**
 * A year's official schedule as an administrator loaded it (POLICY D16), e.g. 2027 once the State
 * Council publishes it: its holidays and make-up working days (调休). A loaded year replaces whatever
 * the package knows of that year.
 */
export interface LoadedCalendarYear {
  year: number;
  /** Where it comes from (the notice's title or URL). */
  source: string;
  holidays: LocalDate[];
  workdays: LocalDate[];
  loadedBy: string;
  loadedAt: string;
}

/** Where a day's working/off comes from (GET /api/calendar/:year). */
export type CalendarDaySource = 'OFFICIAL' | 'OVERRIDE' | 'WEEKDAY_FALLBACK';

/** The package's schedule with the years an administrator loaded on top (a loaded year wins whole). */
export function officialCalendarWith(
  loaded: readonly LoadedCalendarYear[],
  base: OfficialCalendar = chineseDaysCalendar,
): OfficialCalendar {
  if (loaded.length === 0) return base;
  const years = new Map(
    loaded.map((year) => [year.year, { holidays: new Set(year.holidays), workdays: new Set(year.workdays) }]),
  );
  return {
    isWorkday(date) {
      assertLocalDate(date);
      const year = years.get(Number(date.slice(0, 4)));
      if (!year) return base.isWorkday(date);
      // POLICY D4: make-up working days work even on a weekend; official holidays never do.
      if (year.workdays.has(date)) return true;
      return !year.holidays.has(date) && isoDayOfWeek(date) <= 5;
    },
    hasOfficialData: (year) => years.has(year) || base.hasOfficialData(year),
  };
}

/**
 * A year's schedule as loaded must be of that year, each day once: holidays and make-up working days
 * apart, make-up days on a weekend (a weekday works anyway), and at least one holiday (every notice
 * has them) — otherwise refused, naming the day.
 */
export function assertLoadableYear(
  year: number,
  holidays: readonly LocalDate[],
  workdays: readonly LocalDate[],
) {
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const check = (list: readonly LocalDate[], field: 'holidays' | 'workdays') =>
    list.forEach((date, index) => {
      const path = `${field}.${index}`;
      if (date.slice(0, 4) !== String(year))
        issues.push({ path, message: `${date} 不在 ${year} 年 ${date} is not in ${year}` });
      else if (seen.has(date)) issues.push({ path, message: `${date} 出现了两次 ${date} is listed twice` });
      else if (field === 'workdays' && isoDayOfWeek(date) <= 5)
        issues.push({
          path,
          message: `${date} 是工作日，不是调休 ${date} is a weekday, not a make-up working day`,
        });
      seen.add(date);
    });
  check(holidays, 'holidays');
  check(workdays, 'workdays');
  if (holidays.length === 0)
    issues.push({ path: 'holidays', message: '至少要有一个节假日 at least one holiday' });
  if (issues.length > 0) {
    throw new ValidationError(
      `${year} 年的节假日安排有误 The schedule of ${year} has mistakes: ${issues[0]?.message}.`,
      { issues },
    );
  }
}

/** No calendar has a year without a single working day; a search longer than this is a bug. */
const MAX_SEARCH_DAYS = 366;

export class WorkingDayCalendar {
  private readonly official: OfficialCalendar;
  private readonly overrides: Map<LocalDate, boolean>;
  private readonly onMissingYear: (year: number) => void;
  private readonly reportedYears = new Set<number>();

  constructor(
    options: {
      official?: OfficialCalendar;
      overrides?: readonly CalendarOverride[];
      onMissingYear?: (year: number) => void;
    } = {},
  ) {
    this.official = options.official ?? chineseDaysCalendar;
    this.overrides = overrideMap(options.overrides ?? []);
    this.onMissingYear = options.onMissingYear ?? (() => undefined);
  }

  /** A day's working/off and where that comes from (the admin's year view). */
  dayOf(date: LocalDate): { working: boolean; source: CalendarDaySource } {
    assertLocalDate(date);
    const override = this.overrides.get(date);
    if (override !== undefined) return { working: override, source: 'OVERRIDE' };
    const working = this.isWorkingDay(date);
    return {
      working,
      source: this.official.hasOfficialData(Number(date.slice(0, 4))) ? 'OFFICIAL' : 'WEEKDAY_FALLBACK',
    };
  }

  isWorkingDay(date: LocalDate): boolean {
    assertLocalDate(date);
    // POLICY D16: the administrator's overrides win over the official schedule.
    const override = this.overrides.get(date);
    if (override !== undefined) return override;
    const year = Number(date.slice(0, 4));
    if (!this.official.hasOfficialData(year)) {
      // POLICY D16: no official schedule loaded — say so, then use weekends only.
      if (!this.reportedYears.has(year)) {
        this.reportedYears.add(year);
        this.onMissingYear(year);
      }
      return isoDayOfWeek(date) <= 5;
    }
    return this.official.isWorkday(date);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    return this.search(addDays(date, 1), 1);
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: LocalDate): LocalDate {
    return this.search(addDays(date, -1), -1);
  }

  workingDayOnOrAfter(date: LocalDate): LocalDate {
    return this.search(date, 1);
  }

  workingDayOnOrBefore(date: LocalDate): LocalDate {
    return this.search(date, -1);
  }

  /** The n-th working day after `date`, `date` itself not counted (POLICY D13). */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays needs n >= 1, got ${n}`);
    let day = date;
    for (let counted = 0; counted < n; counted++) day = this.nextWorkingDay(day);
    return day;
  }

  /** Years in the range without an official schedule (for start-up warnings and the admin page). */
  missingYears(fromYear: number, toYear: number): number[] {
    const missing: number[] = [];
    for (let year = fromYear; year <= toYear; year++)
      if (!this.official.hasOfficialData(year)) missing.push(year);
    return missing;
  }

  private search(start: LocalDate, step: 1 | -1): LocalDate {
    let day = start;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      if (this.isWorkingDay(day)) return day;
      day = addDays(day, step);
    }
    // Only overrides can empty a whole year; say so rather than loop for ever.
    throw new RuleViolationError(
      'NO_WORKING_DAY',
      `日历中 ${start} ${step === 1 ? '之后' : '之前'} ${MAX_SEARCH_DAYS} 天内没有工作日，请检查日历调整。The calendar has no working day within ${MAX_SEARCH_DAYS} days ${step === 1 ? 'from' : 'back from'} ${start}; check the calendar overrides.`,
    );
  }
}

function overrideMap(overrides: readonly CalendarOverride[]): Map<LocalDate, boolean> {
  const map = new Map<LocalDate, boolean>();
  for (const override of overrides) {
    assertLocalDate(override.date);
    const earlier = map.get(override.date);
    if (earlier !== undefined && earlier !== override.working) {
      throw new ValidationError(
        `日历调整对 ${override.date} 同时写了“工作日”和“休息日”，请只保留一个。The calendar overrides say both "working" and "not working" for ${override.date}; keep one.`,
      );
    }
    map.set(override.date, override.working);
  }
  return map;
}
