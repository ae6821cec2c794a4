import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { ValidationError } from '../../lib/domain/errors.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';

const calendar = new WorkingDayCalendar();

describe('the reconciliation week (POLICY 3.2, D11)', () => {
  it('runs from its Monday 00:00 to the next Monday 00:00, Asia/Shanghai', () => {
    const week = reconciliationWeek('2026-09-28', calendar);

    expect(week.periodStart).toBe('2026-09-28T00:00:00.000+08:00');
    expect(week.periodEnd).toBe('2026-10-05T00:00:00.000+08:00');
    expect(Date.parse(week.periodStart)).toBe(Date.UTC(2026, 8, 27, 16));
  });

  it('is due on Thursday 2026-10-08 for week 2026-09-28: Tuesday 10-06 and Wednesday 10-07 are National Day', () => {
    expect(reconciliationWeek('2026-09-28', calendar).dueOn).toBe('2026-10-08');
  });

  it('is due on the Tuesday after the week when that Tuesday is a working day', () => {
    expect(reconciliationWeek('2026-11-16', calendar).dueOn).toBe('2026-11-24');
  });

  it('moves to the next working day when an administrator makes that Tuesday a day off', () => {
    const withOverride = new WorkingDayCalendar({
      overrides: [{ date: '2026-11-24', working: false, reason: 'company day' }],
    });

    expect(reconciliationWeek('2026-11-16', withOverride).dueOn).toBe('2026-11-25');
  });

  it.each(['2026-09-29', '2026-10-04', '2026-02-30', '28/09/2026'])(
    'refuses %s, which is no Monday, as a 400',
    (name) => {
      expect(() => reconciliationWeek(name, calendar)).toThrow(ValidationError);
    },
  );
});
