import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { ValidationError } from '../../lib/domain/errors.ts';
import { assertPolicyWithinCeilings, DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';

const calendar = new WorkingDayCalendar();

describe('the reconciliation week (POLICY 3.2, D11)', () => {
  it('runs from its Monday 00:00 to the next Monday 00:00, Asia/Shanghai', () => {
    const week = reconciliationWeek('2026-09-28', calendar, DEFAULT_POLICY);

    expect(week.periodStart).toBe('2026-09-28T00:00:00.000+08:00');
    expect(week.periodEnd).toBe('2026-10-05T00:00:00.000+08:00');
    expect(Date.parse(week.periodStart)).toBe(Date.UTC(2026, 8, 27, 16));
  });

  it('is due on Thursday 2026-10-08 for week 2026-09-28: Tuesday 10-06 and Wednesday 10-07 are National Day', () => {
    expect(reconciliationWeek('2026-09-28', calendar, DEFAULT_POLICY).dueOn).toBe('2026-10-08');
  });

  it('is due on the Tuesday after the week when that Tuesday is a working day', () => {
    expect(reconciliationWeek('2026-11-16', calendar, DEFAULT_POLICY).dueOn).toBe('2026-11-24');
  });

  it('moves to the next working day when an administrator makes that Tuesday a day off', () => {
    const withOverride = new WorkingDayCalendar({
      overrides: [{ date: '2026-11-24', working: false, reason: 'company day' }],
    });

    expect(reconciliationWeek('2026-11-16', withOverride, DEFAULT_POLICY).dueOn).toBe('2026-11-25');
  });

  it('reminds merchandising at 10:00 Beijing time on the due day', () => {
    expect(reconciliationWeek('2026-09-28', calendar, DEFAULT_POLICY).remindAt).toBe(
      '2026-10-08T10:00:00.000+08:00',
    );
  });

  it('follows a policy version that moves the due day to Wednesday and the reminder to 09:30', () => {
    const policy = {
      ...DEFAULT_POLICY,
      reconciliationDueWeekday: 'WED' as const,
      reconciliationReminderTime: '09:30',
    };

    const week = reconciliationWeek('2026-11-16', calendar, policy);

    expect(week.dueOn).toBe('2026-11-25');
    expect(week.remindAt).toBe('2026-11-25T09:30:00.000+08:00');
  });

  it('is due on the Monday right after the week when the policy says MON', () => {
    const policy = { ...DEFAULT_POLICY, reconciliationDueWeekday: 'MON' as const };

    expect(reconciliationWeek('2026-11-16', calendar, policy).dueOn).toBe('2026-11-23');
  });

  it.each([
    ['reconciliationDueWeekday', 'TUESDAY'],
    ['reconciliationReminderTime', '24:00'],
    ['reconciliationReminderTime', '9:30'],
  ])('refuses a policy version whose %s is %s', (setting, value) => {
    expect(() => assertPolicyWithinCeilings({ ...DEFAULT_POLICY, [setting]: value })).toThrow(
      ValidationError,
    );
  });

  it.each(['2026-09-29', '2026-10-04', '2026-02-30', '28/09/2026'])(
    'refuses %s, which is no Monday, as a 400',
    (name) => {
      expect(() => reconciliationWeek(name, calendar, DEFAULT_POLICY)).toThrow(ValidationError);
    },
  );
});
