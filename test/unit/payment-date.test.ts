import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { assertCanPullIntoToday, paymentDateFor, runOpensAt } from '../../lib/domain/payment-date.ts';
import { addDays, shanghaiDate } from '../../lib/domain/time.ts';

const calendar = new WorkingDayCalendar();
const due = (instant: string) => paymentDateFor(new Date(instant), calendar, 12);

describe('the noon cutoff (POLICY 2.2(3), D3, D4)', () => {
  it('pays a voucher payable at 11:59:59.999 on a working day that day', () => {
    expect(due('2026-11-18T11:59:59.999+08:00')).toBe('2026-11-18');
  });

  it('pays a voucher payable at 12:00:00.000 the next working day', () => {
    expect(due('2026-11-18T12:00:00.000+08:00')).toBe('2026-11-19');
  });

  it('pays a Friday-afternoon voucher on Monday', () => {
    expect(due('2026-11-20T15:00:00+08:00')).toBe('2026-11-23');
  });

  it('pays a Saturday-morning voucher on Monday', () => {
    expect(due('2026-11-21T09:00:00+08:00')).toBe('2026-11-23');
  });

  it('pays an afternoon voucher of 2026-09-30 after the National Day holiday, on 2026-10-08', () => {
    expect(due('2026-09-30T14:00:00+08:00')).toBe('2026-10-08');
  });

  it('pays on the make-up Saturday 2026-10-10 when payable that morning', () => {
    expect(due('2026-10-10T10:00:00+08:00')).toBe('2026-10-10');
  });

  it('judges noon in Shanghai whatever the machine’s zone: 04:00 UTC is 12:00 there', () => {
    expect(due('2026-11-18T03:59:59.999Z')).toBe('2026-11-18');
    expect(due('2026-11-18T04:00:00.000Z')).toBe('2026-11-19');
  });

  it('always gives a working day, never before the day the voucher became payable', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2004-01-01'), max: new Date('2026-12-20'), noInvalidDate: true }),
        (at) => {
          const date = paymentDateFor(at, calendar, 12);
          expect(calendar.isWorkingDay(date)).toBe(true);
          expect(date >= shanghaiDate(at)).toBe(true);
        },
      ),
    );
  });

  it('pays on the first run the cutoff allows: no working day is skipped', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2004-01-01'), max: new Date('2026-12-20'), noInvalidDate: true }),
        fc.integer({ min: 9, max: 15 }),
        (at, cutoffHour) => {
          const day = shanghaiDate(at);
          const date = paymentDateFor(at, calendar, cutoffHour);
          const hour = Number(
            new Intl.DateTimeFormat('en-GB', {
              hour: 'numeric',
              hourCycle: 'h23',
              timeZone: 'Asia/Shanghai',
            }).format(at),
          );
          const sameDay = calendar.isWorkingDay(day) && hour < cutoffHour;
          // Same day exactly when payable on a working day before the cutoff; otherwise the very next
          // working day — no working day lies between the payable day and the payment day.
          expect(date === day).toBe(sameDay);
          if (!sameDay) expect(date).toBe(calendar.nextWorkingDay(day));
          for (let d = addDays(day, 1); d < date; d = addDays(d, 1)) {
            expect(calendar.isWorkingDay(d), d).toBe(false);
          }
        },
      ),
    );
  });

  it('gives the same dates when the machine runs in another zone', () => {
    // The suite runs in America/Los_Angeles; compute the same instants in a UTC+14 process.
    const instants = [
      '2026-11-18T03:59:59.999Z',
      '2026-11-20T07:00:00Z',
      '2026-09-30T06:00:00Z',
      '2026-10-10T01:00:00Z',
    ];
    const script = `
      const { WorkingDayCalendar } = await import(${JSON.stringify(new URL('../../lib/domain/calendar.ts', import.meta.url).href)});
      const { paymentDateFor } = await import(${JSON.stringify(new URL('../../lib/domain/payment-date.ts', import.meta.url).href)});
      const calendar = new WorkingDayCalendar();
      console.log(JSON.stringify(${JSON.stringify(instants)}.map((at) => paymentDateFor(new Date(at), calendar, 12))));`;
    const elsewhere = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: 'Pacific/Kiritimati' },
        encoding: 'utf8',
      }),
    ) as string[];

    expect(elsewhere).toEqual(instants.map((at) => due(at)));
  });
});

describe('the run a payment day opens (the workflow waits for it)', () => {
  it('opens at 00:00 in Shanghai, which is 16:00 UTC the day before', () => {
    expect(runOpensAt('2026-11-19').toISOString()).toBe('2026-11-18T16:00:00.000Z');
  });

  it('refuses a date that is not a calendar date', () => {
    expect(() => runOpensAt('2026-02-30')).toThrow();
  });
});

describe('pulling an afternoon voucher into today’s run (POLICY D5)', () => {
  const afternoon = {
    payableAt: '2026-11-18T14:00:00.000+08:00',
    dueDate: '2026-11-19',
    status: 'DUE' as const,
  };
  const pull = (
    payment: typeof afternoon | { payableAt: string; dueDate: string; status: 'DUE' | 'PAID' },
    now: string,
  ) => assertCanPullIntoToday(payment, new Date(now), calendar);
  const codeOf = (action: () => unknown) => {
    try {
      action();
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return 'ALLOWED';
  };

  it('moves a voucher that became payable this afternoon into today', () => {
    expect(pull(afternoon, '2026-11-18T16:30:00+08:00')).toBe('2026-11-18');
  });

  it('refuses a voucher that is already in a run', () => {
    const morning = { ...afternoon, payableAt: '2026-11-18T09:00:00.000+08:00', dueDate: '2026-11-18' };
    expect(codeOf(() => pull(morning, '2026-11-18T16:30:00+08:00'))).toBe('ALREADY_IN_RUN');
  });

  it('refuses a voucher that became payable on an earlier day', () => {
    // Payable on the 17th after noon → due the 18th; a late reschedule to the 19th must not make it
    // an "afternoon voucher" of the 18th.
    const yesterday = { ...afternoon, payableAt: '2026-11-17T14:00:00.000+08:00', dueDate: '2026-11-19' };
    expect(codeOf(() => pull(yesterday, '2026-11-18T16:30:00+08:00'))).toBe('NOT_AN_AFTERNOON_VOUCHER');
  });

  it('refuses on a day with no run: a Saturday voucher waits for Monday', () => {
    const saturday = { ...afternoon, payableAt: '2026-11-21T10:00:00.000+08:00', dueDate: '2026-11-23' };
    expect(codeOf(() => pull(saturday, '2026-11-21T11:00:00+08:00'))).toBe('NO_RUN_TODAY');
  });

  it('allows it on the make-up working Saturday 2026-10-10', () => {
    const makeUp = { ...afternoon, payableAt: '2026-10-10T13:00:00.000+08:00', dueDate: '2026-10-12' };
    expect(pull(makeUp, '2026-10-10T13:30:00+08:00')).toBe('2026-10-10');
  });

  it('refuses a voucher that is already paid', () => {
    expect(codeOf(() => pull({ ...afternoon, status: 'PAID' }, '2026-11-18T16:30:00+08:00'))).toBe('NOT_DUE');
  });

  it('judges "today" in Shanghai: 17:00 UTC on the 18th is already the 19th there', () => {
    // At 01:00 on the 19th in Shanghai the voucher from the 18th afternoon is in today's run already.
    expect(codeOf(() => pull(afternoon, '2026-11-18T17:00:00Z'))).toBe('ALREADY_IN_RUN');
  });
});
