/**
 * The working-day calendar, the administrator's (POLICY D16): a year's days with where each comes
 * from, the overrides (a day made working or off, with a reason), and a year's official schedule
 * loaded once the State Council publishes it (each December).
 *
 * Primary course of every change (an override set or removed, a year loaded):
 *  1. Only an administrator.
 *  2. The calendar is read with its revision, and the calendar the change would make is built.
 *  3. The documents whose dates were computed from the calendar are judged again under the proposed
 *     one (lib/admin/calendar-impact.ts). If any would move and the change is not confirmed, it is
 *     refused with 409 listing them — nothing is written; sent again with `confirm`, it is saved.
 *  4. Written with its audit event (which names the documents it affects), conditional on the
 *     revision read: a change made meanwhile is a 409 and nothing is written.
 *
 * The documents keep the dates they were given (as they keep the policy version, D17): a voucher whose
 * run day moved waits in every run until paid (D5) and may be pulled forward; the list says which to
 * look at. Every date rule reads the calendar through lib/working-days.ts, which sees the change on
 * its next ask.
 */
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import type { CalendarDaySource, CalendarOverride, LoadedCalendarYear } from '../domain/calendar.ts';
import { CalendarChangeAffectsDocumentsError, NotFoundError } from '../domain/errors.ts';
import type { AuditEvent, LocalDate, Person } from '../domain/model.ts';
import { addDays, toShanghaiIso } from '../domain/time.ts';
import type { CalendarChange, StoredCalendar } from '../platform/store.ts';
import { calendarOf } from '../working-days.ts';
import { type AffectedDocument, affectedDocuments, describeAffected } from './calendar-impact.ts';

export interface CalendarDayView {
  date: LocalDate;
  working: boolean;
  source: CalendarDaySource;
  /** An override's reason. */
  reason?: string;
}

export interface CalendarYearView {
  year: number;
  /** The year has an official schedule (the package's, or one loaded): no weekday fallback. */
  official: boolean;
  /** Where the official schedule comes from: a loaded year's source, or the built-in data. */
  officialSource: string | null;
  loaded: Omit<LoadedCalendarYear, 'holidays' | 'workdays'> | null;
  days: CalendarDayView[];
  history: AuditEvent[];
}

export async function calendarYear(
  deps: Pick<AppDeps, 'store'>,
  caller: Person,
  year: number,
): Promise<CalendarYearView> {
  requireRole(caller, 'ADMIN');
  // The official holiday data (chinese-days, ~43 KB) loads with the first calendar, not at cold start.
  const { chineseDaysCalendar } = await import('../domain/calendar.ts');
  const stored = await deps.store.settings.calendar();
  const calendar = await calendarOf(stored);
  const reasons = new Map(stored.overrides.map((override) => [override.date, override.reason]));
  const days: CalendarDayView[] = [];
  for (let date = `${year}-01-01`; date.startsWith(String(year)); date = addDays(date, 1)) {
    const reason = reasons.get(date);
    days.push({ date, ...calendar.dayOf(date), ...(reason !== undefined ? { reason } : {}) });
  }
  const loaded = stored.years.find((candidate) => candidate.year === year);
  const official = !calendar.missingYears(year, year).length;
  const history = (await deps.store.settings.calendarHistory()).filter((event) =>
    String(event.details?.date ?? event.details?.year ?? '').startsWith(String(year)),
  );
  return {
    year,
    official,
    officialSource: loaded
      ? loaded.source
      : chineseDaysCalendar.hasOfficialData(year)
        ? 'chinese-days（国务院办公厅通知 State Council notice）'
        : null,
    loaded: loaded
      ? { year: loaded.year, source: loaded.source, loadedBy: loaded.loadedBy, loadedAt: loaded.loadedAt }
      : null,
    days,
    history,
  };
}

export interface CalendarChangeOutcome {
  /** The documents whose computed dates the change moves (they keep theirs; see above). */
  affected: AffectedDocument[];
}

interface Proposal {
  type: string;
  details: Record<string, unknown>;
  next: Pick<StoredCalendar, 'overrides' | 'years'>;
  write: Omit<CalendarChange, 'expectedRevision' | 'event'>;
}

async function change(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  confirm: boolean,
  propose: (stored: StoredCalendar, at: string) => Proposal,
): Promise<CalendarChangeOutcome> {
  // 1.
  requireRole(caller, 'ADMIN');
  // 2.
  const stored = await deps.store.settings.calendar();
  const now = deps.clock.now();
  const at = toShanghaiIso(now);
  const proposal = propose(stored, at);
  // 3. POLICY D16: say which computed dates move before anything is saved.
  const affected = await affectedDocuments(
    deps,
    await calendarOf(stored),
    await calendarOf(proposal.next),
    now,
  );
  if (affected.length > 0 && !confirm) {
    throw new CalendarChangeAffectsDocumentsError(
      `这项日历修改会改变 ${affected.length} 份单据已算好的日期，没有保存；确认后请再提交一次（confirm: true）。This change moves dates already computed for ${affected.length} document(s); nothing was saved. Send it again with "confirm": true to save it.`,
      affected.map((document, index) => ({ path: `affected.${index}`, message: describeAffected(document) })),
    );
  }
  // 4.
  await deps.store.settings.changeCalendar({
    ...proposal.write,
    expectedRevision: stored.revision,
    event: {
      at,
      actor: caller.email,
      type: proposal.type,
      version: stored.revision + 1,
      details: {
        ...proposal.details,
        affected: affected.map((document) => ({
          kind: document.kind,
          id: document.id,
          from: document.from,
          to: document.to,
        })),
      },
    },
  });
  return { affected };
}

export function setCalendarOverride(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  input: CalendarOverride & { confirm?: boolean | undefined },
): Promise<CalendarChangeOutcome> {
  return change(deps, caller, input.confirm === true, (stored, at) => {
    const override = { date: input.date, working: input.working, reason: input.reason, by: caller.email, at };
    return {
      type: 'CALENDAR_OVERRIDE_SET',
      details: { date: input.date, working: input.working, reason: input.reason },
      next: {
        overrides: [...stored.overrides.filter((other) => other.date !== input.date), override],
        years: stored.years,
      },
      write: { put: override },
    };
  });
}

export function removeCalendarOverride(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  input: { date: LocalDate; confirm?: boolean | undefined },
): Promise<CalendarChangeOutcome> {
  return change(deps, caller, input.confirm === true, (stored) => {
    const existing = stored.overrides.find((override) => override.date === input.date);
    if (!existing) {
      throw new NotFoundError(`${input.date} 没有日历调整。There is no calendar override for ${input.date}.`);
    }
    return {
      type: 'CALENDAR_OVERRIDE_REMOVED',
      details: { date: input.date, working: existing.working, reason: existing.reason },
      next: {
        overrides: stored.overrides.filter((override) => override.date !== input.date),
        years: stored.years,
      },
      write: { remove: input.date },
    };
  });
}

export async function loadCalendarYear(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  input: {
    year: number;
    source: string;
    holidays: LocalDate[];
    workdays: LocalDate[];
    confirm?: boolean | undefined;
  },
): Promise<CalendarChangeOutcome> {
  requireRole(caller, 'ADMIN');
  const { assertLoadableYear } = await import('../domain/calendar.ts');
  assertLoadableYear(input.year, input.holidays, input.workdays);
  return change(deps, caller, input.confirm === true, (stored, at) => {
    const year: LoadedCalendarYear = {
      year: input.year,
      source: input.source,
      holidays: [...input.holidays].sort(),
      workdays: [...input.workdays].sort(),
      loadedBy: caller.email,
      loadedAt: at,
    };
    return {
      type: 'CALENDAR_YEAR_LOADED',
      details: {
        year: String(input.year),
        source: input.source,
        holidays: year.holidays.length,
        workdays: year.workdays.length,
        replaced: stored.years.some((other) => other.year === input.year),
      },
      next: {
        overrides: stored.overrides,
        years: [...stored.years.filter((other) => other.year !== input.year), year],
      },
      write: { year },
    };
  });
}
