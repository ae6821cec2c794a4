import type { AppDeps } from './app.ts';
import type { WorkingDayCalendar } from './domain/calendar.ts';
import { logger } from './observability/logger.ts';
import type { StoredCalendar } from './platform/store.ts';

/**
 * The calendar as last read, per store (one per Lambda container or local runtime), with the revision
 * it was read at. Every date rule asks for the calendar; each ask costs one strongly consistent GetItem
 * of the calendar's revision, and the overrides and loaded years are read again only when an
 * administrator changed them since — so a change counts in every function from the next ask on.
 */
const cached = new WeakMap<object, { revision: number; calendar: WorkingDayCalendar }>();

/**
 * The mainland-China working-day calendar (POLICY D4, D16): the official schedule (the package's,
 * with the years an administrator loaded on top) and the administrator's overrides, as stored now.
 */
export async function workingDayCalendar(deps: Pick<AppDeps, 'store'>): Promise<WorkingDayCalendar> {
  const settings = deps.store.settings;
  const revision = await settings.calendarRevision();
  const hit = cached.get(settings);
  if (hit && hit.revision === revision) return hit.calendar;
  const stored = await settings.calendar();
  const calendar = await calendarOf(stored);
  cached.set(settings, { revision: stored.revision, calendar });
  return calendar;
}

/**
 * The calendar these stored overrides and years make (also what a proposed change would make). Its
 * official schedule (the `chinese-days` data, ~43 KB) loads by `await import()` with the first calendar
 * a function builds, so a function's cold start does not parse it (infra/constructs/bundling.ts).
 */
export async function calendarOf(
  stored: Pick<StoredCalendar, 'overrides' | 'years'>,
): Promise<WorkingDayCalendar> {
  const { officialCalendarWith, WorkingDayCalendar } = await import('./domain/calendar.ts');
  return new WorkingDayCalendar({
    official: officialCalendarWith(stored.years),
    overrides: stored.overrides,
    onMissingYear: (year) =>
      logger.warn(`No official holiday schedule for ${year}; weekends only (POLICY D16).`),
  });
}

/**
 * POLICY D16: the years of `from`..`to` without an official schedule (neither in the package nor
 * loaded by an administrator), each logged as a warning: what the runtime says at start-up.
 */
export async function warnMissingCalendarYears(
  deps: Pick<AppDeps, 'store'>,
  from: number,
  to: number,
): Promise<number[]> {
  const missing = (await workingDayCalendar(deps)).missingYears(from, to);
  for (const year of missing) {
    // A year without the official schedule is a loud warning, never a silent guess.
    logger.warn(
      `No official holiday schedule for ${year} is loaded: its dates fall back to Monday–Friday. Load it with POST /api/calendar/years/${year}.`,
    );
  }
  return missing;
}
