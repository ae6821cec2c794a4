/**
 * The noon cutoff (POLICY 2.2(3); D3, D4): the instant a voucher becomes payable (finance review
 * recorded) decides its payment day in Asia/Shanghai — before 12:00:00.000 on a working day, that day;
 * at or after it, the next working day; on a non-working day, the next working day. Make-up working
 * days (调休) count as working days.
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { RuleViolationError } from './errors.ts';
import type { LocalDate, Payment } from './model.ts';
import { assertLocalDate, shanghaiDate, shanghaiTimeOfDayMs } from './time.ts';

export function paymentDateFor(
  payableAt: Date,
  calendar: WorkingDayCalendar,
  cutoffHour: number,
  cutoffMinute = 0,
): LocalDate {
  const day = shanghaiDate(payableAt);
  const beforeCutoff = shanghaiTimeOfDayMs(payableAt) < cutoffHour * 3_600_000 + cutoffMinute * 60_000;
  // POLICY 2.2(3), D3: received before noon on a working day → paid that day.
  if (calendar.isWorkingDay(day) && beforeCutoff) return day;
  // D4: "next day" is the next working day on the mainland-China calendar.
  return calendar.nextWorkingDay(day);
}

/** The instant a payment day's run opens: 00:00 Asia/Shanghai of that day (the workflow waits for it). */
export function runOpensAt(date: LocalDate): Date {
  assertLocalDate(date);
  return new Date(`${date}T00:00:00+08:00`);
}

/**
 * POLICY D5 ("as a rule", 原则上): the cashier or finance may pull an afternoon voucher into today's
 * run — one that became payable today at or after the cutoff, so the rule gave it the next working
 * day. Only on a working day (no run otherwise), and with a reason (checked at the edge). Null when
 * it may be pulled; otherwise why not.
 */
export function pullIntoTodayRefusal(
  payment: Pick<Payment, 'payableAt' | 'dueDate' | 'status'>,
  now: Date,
  calendar: WorkingDayCalendar,
): RuleViolationError | null {
  const today = shanghaiDate(now);
  const payableOn = shanghaiDate(new Date(payment.payableAt));
  if (payment.status !== 'DUE') {
    return new RuleViolationError(
      'NOT_DUE',
      '只有等待付款批次的凭单可以调整。Only a voucher waiting for its payment run can be moved.',
    );
  }
  if (!calendar.isWorkingDay(today)) {
    return new RuleViolationError(
      'NO_RUN_TODAY',
      `${today} 不是工作日，没有可以拉入的付款批次。${today} is not a working day; there is no payment run to pull it into.`,
    );
  }
  if (payment.dueDate <= today) {
    return new RuleViolationError(
      'ALREADY_IN_RUN',
      `它已在 ${payment.dueDate} 的付款批次中。It is already in the run of ${payment.dueDate}.`,
    );
  }
  if (payableOn !== today) {
    return new RuleViolationError(
      'NOT_AN_AFTERNOON_VOUCHER',
      `只有今天下午审核通过的凭单可以拉入今日付款批次；这张在 ${payableOn} 审核通过。Only a voucher that became payable this afternoon can be pulled into today's run (POLICY D5); this one became payable on ${payableOn}.`,
    );
  }
  return null;
}

/** POLICY D5: refuses a pull into today's run that the rule does not allow; gives today otherwise. */
export function assertCanPullIntoToday(
  payment: Pick<Payment, 'payableAt' | 'dueDate' | 'status'>,
  now: Date,
  calendar: WorkingDayCalendar,
): LocalDate {
  const refusal = pullIntoTodayRefusal(payment, now, calendar);
  if (refusal) throw refusal;
  return shanghaiDate(now);
}
