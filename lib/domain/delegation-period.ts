/**
 * The days a delegation may cover (POLICY D18: delegations are explicit and dated). It starts today or
 * later and ends at most a year after today — the day before the same date next year — in Asia/Shanghai
 * days (D15). An open-ended or back-dated delegation is a standing grant of someone else's approvals,
 * which D18 forbids in all but name.
 */
import type { Issue } from './errors.ts';
import type { LocalDate } from './model.ts';
import { assertLocalDate } from './time.ts';

/** The last day a delegation recorded on `today` may cover: a year on, less a day (29 Feb → 28 Feb). */
export function lastDelegableDay(today: LocalDate): LocalDate {
  assertLocalDate(today);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(year + 1, month - 1, day - 1));
  // Date.UTC maps years 0–99 onto 1900–1999; fundflow's days are never that early, but be exact.
  last.setUTCFullYear(year + 1, month - 1, day - 1);
  return last.toISOString().slice(0, 10);
}

/** What is wrong with this period, recorded on `today`, as issues at its fields (empty when fine). */
export function delegationPeriodIssues(
  period: { validFrom: LocalDate; validTo: LocalDate },
  today: LocalDate,
): Issue[] {
  const issues: Issue[] = [];
  const last = lastDelegableDay(today);
  if (period.validFrom < today) {
    issues.push({
      path: 'validFrom',
      message: `不能早于今天 ${today}。Cannot be before today, ${today} (Asia/Shanghai).`,
    });
  }
  if (period.validTo < period.validFrom) {
    issues.push({ path: 'validTo', message: '早于开始日期。Before validFrom.' });
  } else if (period.validTo > last) {
    issues.push({
      path: 'validTo',
      message: `委托最长一年，最晚到 ${last}。A delegation lasts at most a year: ${last} at the latest.`,
    });
  }
  return issues;
}
