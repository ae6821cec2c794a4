import type { AppDeps } from './app.ts';
import type { WorkingDayCalendar } from './domain/calendar.ts';
import { logger } from './observability/logger.ts';

/**
 * The mainland-China working-day calendar with the admin overrides stored in the table (POLICY D16).
 * Its official schedule (the `chinese-days` data, ~43 KB) loads by `await import()` with the first
 * calendar a function builds, so a function's cold start does not parse it (infra/constructs/bundling.ts).
 */
export async function workingDayCalendar(deps: AppDeps): Promise<WorkingDayCalendar> {
  const [{ WorkingDayCalendar }, overrides] = await Promise.all([
    import('./domain/calendar.ts'),
    deps.store.settings.calendarOverrides(),
  ]);
  return new WorkingDayCalendar({
    overrides,
    onMissingYear: (year) =>
      logger.warn(`No official holiday schedule for ${year}; weekends only (POLICY D16).`),
  });
}
