/**
 * The administrator's working-day calendar on DynamoDB Local (POLICY D16): a year's days with their
 * source, overrides every date rule reads at once (in this function and in another over the same
 * table), a year's official schedule loaded so its start-up warning goes, and a change that moves a
 * payment day already computed saying which vouchers before it is saved.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  calendarYear,
  loadCalendarYear,
  removeCalendarOverride,
  setCalendarOverride,
} from '../../lib/admin/calendar.ts';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { logger } from '../../lib/observability/logger.ts';
import { createStore } from '../../lib/storage/store.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { warnMissingCalendarYears, workingDayCalendar } from '../../lib/working-days.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';

let app: TestApp;
let admin: Person;
const REASON = '公司年会 company annual meeting';

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
  admin = app.person('admin');
});

const YEAR_2027 = {
  year: 2027,
  source: '国务院办公厅关于2027年部分节假日安排的通知 State Council notice (test copy)',
  holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10'],
  workdays: ['2027-02-20'],
};

describe('a year of the calendar', () => {
  it('gives each day working or off and where that comes from: the official schedule, an override, or the weekday fallback', async () => {
    await setCalendarOverride(app.deps, admin, { date: '2026-12-31', working: false, reason: REASON });

    const year = await calendarYear(app.deps, admin, 2026);
    const day = (date: string) => year.days.find((candidate) => candidate.date === date);

    expect(year.days).toHaveLength(365);
    expect(year.official).toBe(true);
    expect(day('2026-10-01')).toEqual({ date: '2026-10-01', working: false, source: 'OFFICIAL' });
    // The make-up Saturday of National Day 2026 (调休).
    expect(day('2026-10-10')).toEqual({ date: '2026-10-10', working: true, source: 'OFFICIAL' });
    expect(day('2026-12-31')).toEqual({
      date: '2026-12-31',
      working: false,
      source: 'OVERRIDE',
      reason: REASON,
    });
    const next = await calendarYear(app.deps, admin, 2027);
    expect(next.official).toBe(false);
    expect(next.days.find((candidate) => candidate.date === '2027-01-01')).toEqual({
      date: '2027-01-01',
      working: true,
      source: 'WEEKDAY_FALLBACK',
    });
  });

  it('is an administrator’s only', async () => {
    await expect(calendarYear(app.deps, app.person('liu.yang'), 2026)).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(
      setCalendarOverride(app.deps, app.person('liu.yang'), {
        date: '2026-12-31',
        working: false,
        reason: REASON,
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('an override', () => {
  it('is read by every date rule from the next ask on, here and in another function over the same table', async () => {
    const otherFunction = { store: createStore(app.client, app.tableName) };
    expect((await workingDayCalendar(app.deps)).nextWorkingDay('2026-11-18')).toBe('2026-11-19');
    expect((await workingDayCalendar(otherFunction)).nextWorkingDay('2026-11-18')).toBe('2026-11-19');

    await setCalendarOverride(app.deps, admin, { date: '2026-11-19', working: false, reason: REASON });

    expect((await workingDayCalendar(app.deps)).nextWorkingDay('2026-11-18')).toBe('2026-11-20');
    expect((await workingDayCalendar(otherFunction)).nextWorkingDay('2026-11-18')).toBe('2026-11-20');
    await removeCalendarOverride(app.deps, admin, { date: '2026-11-19' });
    expect((await workingDayCalendar(otherFunction)).nextWorkingDay('2026-11-18')).toBe('2026-11-19');
  });

  it('is audited: set and removed, by whom and why', async () => {
    await setCalendarOverride(app.deps, admin, { date: '2026-12-26', working: true, reason: REASON });
    await removeCalendarOverride(app.deps, admin, { date: '2026-12-26' });

    expect(await app.deps.store.settings.calendarHistory()).toEqual([
      expect.objectContaining({
        type: 'CALENDAR_OVERRIDE_SET',
        actor: admin.email,
        details: { date: '2026-12-26', working: true, reason: REASON, affected: [] },
      }),
      expect.objectContaining({
        type: 'CALENDAR_OVERRIDE_REMOVED',
        actor: admin.email,
        details: { date: '2026-12-26', working: true, reason: REASON, affected: [] },
      }),
    ]);
  });

  it('cannot be removed where there is none (404), and nothing is written', async () => {
    await expect(removeCalendarOverride(app.deps, admin, { date: '2026-12-26' })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(await app.deps.store.settings.calendarHistory()).toEqual([]);
  });
});

describe('a change that moves a payment day already computed', () => {
  async function readyForPayment(): Promise<Voucher> {
    const liNa = app.person('li.na');
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await voucherInput(app, liNa, { amount: '100.00' }),
    );
    for (const approver of ['wang.qiang', 'liu.yang']) {
      await app.engine.settled();
      const link = app.outbox
        .list()
        .filter((message) => message.to.includes(`${approver}@lianshang.example`))
        .at(-1)
        ?.links.find((candidate) => candidate.includes('/approvals/'));
      await decide(app.deps, link?.split('/approvals/')[1] ?? '', { decision: 'APPROVE', reason: '' });
    }
    await app.engine.settled();
    const ready = await app.deps.store.vouchers.get(voucher.id);
    if (ready?.status !== 'READY_FOR_PAYMENT') throw new Error(`voucher is ${ready?.status}`);
    return ready;
  }

  it('is refused with 409 naming the voucher and its days, nothing saved; confirmed, it is saved and names it in the audit', async () => {
    // Finance review at 10:00 on Wednesday the 18th: paid in the 18th's run (before the noon cutoff).
    const voucher = await readyForPayment();
    expect(voucher.payment?.dueDate).toBe('2026-11-18');

    const refusal = setCalendarOverride(app.deps, admin, {
      date: '2026-11-18',
      working: false,
      reason: REASON,
    });

    await expect(refusal).rejects.toMatchObject({
      statusCode: 409,
      code: 'CALENDAR_CHANGE_AFFECTS_DOCUMENTS',
      issues: [{ path: 'affected.0', message: expect.stringContaining(`${voucher.number}`) }],
    });
    await expect(refusal).rejects.toMatchObject({
      issues: [{ message: expect.stringContaining('2026-11-18 → 2026-11-19') }],
    });
    expect(
      (await calendarYear(app.deps, admin, 2026)).days.find((day) => day.date === '2026-11-18')?.source,
    ).toBe('OFFICIAL');

    const saved = await setCalendarOverride(app.deps, admin, {
      date: '2026-11-18',
      working: false,
      reason: REASON,
      confirm: true,
    });

    expect(saved.affected).toEqual([
      expect.objectContaining({
        kind: 'VOUCHER_PAYMENT_DAY',
        id: voucher.id,
        from: '2026-11-18',
        to: '2026-11-19',
      }),
    ]);
    const [event] = await app.deps.store.settings.calendarHistory();
    expect(event?.details?.affected).toEqual([
      { kind: 'VOUCHER_PAYMENT_DAY', id: voucher.id, from: '2026-11-18', to: '2026-11-19' },
    ]);
  });

  it('that moves nothing is saved at once', async () => {
    await readyForPayment();
    await expect(
      setCalendarOverride(app.deps, admin, { date: '2026-12-31', working: false, reason: REASON }),
    ).resolves.toEqual({ affected: [] });
  });
});

describe('a year’s official schedule, loaded', () => {
  it('makes the year official: its start-up warning is gone and its holidays and make-up days count', async () => {
    const warnings: string[] = [];
    const warn = logger.warn;
    logger.warn = (message: string) => {
      warnings.push(message);
    };
    try {
      expect(await warnMissingCalendarYears(app.deps, 2026, 2027)).toEqual([2027]);
      expect(warnings).toEqual([expect.stringContaining('No official holiday schedule for 2027')]);

      await loadCalendarYear(app.deps, admin, YEAR_2027);
      warnings.length = 0;

      expect(await warnMissingCalendarYears(app.deps, 2026, 2027)).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      logger.warn = warn;
    }
    const year = await calendarYear(app.deps, admin, 2027);
    expect([year.official, year.officialSource]).toEqual([true, YEAR_2027.source]);
    expect(year.days.find((day) => day.date === '2027-02-08')).toEqual({
      date: '2027-02-08',
      working: false,
      source: 'OFFICIAL',
    });
    expect(year.days.find((day) => day.date === '2027-02-20')).toEqual({
      date: '2027-02-20',
      working: true,
      source: 'OFFICIAL',
    });
    expect((await workingDayCalendar(app.deps)).nextWorkingDay('2026-12-31')).toBe('2027-01-04');
  });

  it('refuses a schedule with a day of another year or a make-up day on a weekday, naming it', async () => {
    await expect(
      loadCalendarYear(app.deps, admin, { ...YEAR_2027, holidays: ['2026-12-31'], workdays: ['2027-02-22'] }),
    ).rejects.toMatchObject({
      statusCode: 400,
      issues: [
        { path: 'holidays.0', message: expect.stringContaining('2026-12-31') },
        { path: 'workdays.0', message: expect.stringContaining('2027-02-22') },
      ],
    });
    expect((await calendarYear(app.deps, admin, 2027)).official).toBe(false);
  });
});
