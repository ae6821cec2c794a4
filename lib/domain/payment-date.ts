/**
 * The noon cutoff (POLICY 2.2(3); D3, D4): the instant a voucher becomes payable (finance review
 * recorded) decides its payment day in Asia/Shanghai — before 12:00:00.000 on a working day, that day;
 * at or after it, the next working day; on a non-working day, the next working day. Make-up working
 * days (调休) count as working days.
 */
import type { WorkingDayCalendar } from './calendar.ts';
import type { LocalDate } from './model.ts';
import { shanghaiDate, shanghaiTimeOfDayMs } from './time.ts';

export function paymentDateFor(payableAt: Date, calendar: WorkingDayCalendar, cutoffHour: number): LocalDate {
  const day = shanghaiDate(payableAt);
  const beforeCutoff = shanghaiTimeOfDayMs(payableAt) < cutoffHour * 3_600_000;
  // POLICY 2.2(3), D3: received before noon on a working day → paid that day.
  if (calendar.isWorkingDay(day) && beforeCutoff) return day;
  // D4: "next day" is the next working day on the mainland-China calendar.
  return calendar.nextWorkingDay(day);
}
