/**
 * The reconciliation week (POLICY 3.2, D11, D15): named by its Monday, Monday 00:00 to the next
 * Monday 00:00 (exclusive) Asia/Shanghai; due on the policy's weekday after it (Tuesday), or the next
 * working day when that day is not one (week 2026-09-28 is due 2026-10-08: 10-06 and 10-07 are
 * National Day); merchandising is reminded at the policy's time (10:00) on the due day.
 */
import * as z from 'zod';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Instant, LocalDate } from '../domain/model.ts';
import { type PolicySettings, WEEKDAYS } from '../domain/policy.ts';
import { addDays, isLocalDate, isoDayOfWeek } from '../domain/time.ts';

/** A week's name as it arrives at an edge (a path parameter, a CLI flag): a real Monday. */
export const weekNameSchema = z
  .string()
  .refine(isLocalDate, {
    message:
      '请用这一周星期一的日期（YYYY-MM-DD）表示这一周。Give the week as the date of its Monday, YYYY-MM-DD.',
  })
  .refine((date) => isoDayOfWeek(date) === 1, {
    message:
      '对账周以星期一命名，这个日期不是星期一。A reconciliation week is named by its Monday; this date is not a Monday.',
  });

export interface ReconciliationWeek {
  /** The Monday that names the week. */
  week: LocalDate;
  /** Monday 00:00 Asia/Shanghai, inclusive. */
  periodStart: Instant;
  /** The next Monday 00:00 Asia/Shanghai, exclusive. */
  periodEnd: Instant;
  /** The policy's weekday after the week (Tuesday), or the next working day (D11). */
  dueOn: LocalDate;
  /** The policy's reminder time on the due day, Asia/Shanghai (10:00). */
  remindAt: Instant;
}

/** What of a policy version the week's rules read (D17: the version in force when the week is opened). */
export type WeekPolicy = Pick<PolicySettings, 'reconciliationDueWeekday' | 'reconciliationReminderTime'>;

/** The week's edges and due day; a name that is not a Monday is a 400 (ValidationError). */
export function reconciliationWeek(
  name: string,
  calendar: WorkingDayCalendar,
  policy: WeekPolicy,
): ReconciliationWeek {
  const parsed = weekNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues[0]?.message ?? '不是一个对账周。Not a week.', {
      issues: parsed.error.issues.map((issue) => ({ path: 'week', message: issue.message })),
    });
  }
  const week = parsed.data;
  const nextMonday = addDays(week, 7);
  // POLICY 3.2, D11: due on the policy's weekday after the week (MON is the next Monday, TUE the day
  // after it); when that is not a working day, the next one.
  const weekday = WEEKDAYS.indexOf(policy.reconciliationDueWeekday);
  const dueOn = calendar.workingDayOnOrAfter(addDays(week, 7 + weekday));
  return {
    week,
    periodStart: `${week}T00:00:00.000+08:00`,
    periodEnd: `${nextMonday}T00:00:00.000+08:00`,
    dueOn,
    remindAt: `${dueOn}T${policy.reconciliationReminderTime}:00.000+08:00`,
  };
}

/** Epoch milliseconds of the week's edges, for comparing parsed times without building strings. */
export function weekBoundsMs(week: ReconciliationWeek): { start: number; end: number } {
  return { start: Date.parse(week.periodStart), end: Date.parse(week.periodEnd) };
}
