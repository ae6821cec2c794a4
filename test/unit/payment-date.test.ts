import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { paymentDateFor } from '../../lib/domain/payment-date.ts';
import { shanghaiDate } from '../../lib/domain/time.ts';

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
