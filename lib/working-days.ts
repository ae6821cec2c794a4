import type { AppDeps } from './app.ts';
import { WorkingDayCalendar } from './domain/calendar.ts';
import { logger } from './observability/logger.ts';

/** The mainland-China working-day calendar with the admin overrides stored in the table (POLICY D16). */
export async function workingDayCalendar(deps: AppDeps): Promise<WorkingDayCalendar> {
  return new WorkingDayCalendar({
    overrides: await deps.store.settings.calendarOverrides(),
    onMissingYear: (year) =>
      logger.warn(`No official holiday schedule for ${year}; weekends only (POLICY D16).`),
  });
}
