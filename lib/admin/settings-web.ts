/**
 * The administration's settings JSON API (issue 14 §3–§4): an entity's policy versions (POLICY D17),
 * the working-day calendar (D16), delegations, proxy assignments and supplier changes, for
 * administrators; its schemas are the pages' too. The pages are `settingsPages`
 * (lib/admin/settings-pages.ts), apart, so the JSON function never carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { WEEKDAYS } from '../domain/policy.ts';
import { json } from '../http/api-handler.ts';
import { localDate, recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { settingsApiRoutes } from '../http/routes.ts';
import { calendarYear, loadCalendarYear, removeCalendarOverride, setCalendarOverride } from './calendar.ts';
import { addPolicyVersion, policyVersions } from './policy.ts';

const whole = (what: string, min: number, max: number) =>
  z
    .number({ message: `${what} 须为整数 ${what} must be a whole number` })
    .int({ message: `${what} 须为整数 ${what} must be a whole number` })
    .min(min, { message: `${what} 最小为 ${min} ${what}: at least ${min}` })
    .max(max, { message: `${what} 最大为 ${max} ${what}: at most ${max}` });
const timeOfDay = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, '北京时间 HH:mm（00:00 到 23:59）a time of day HH:mm, Beijing time');
/** Money in fen (integers): 500,000.00 yuan is 50000000. */
const fen = (what: string) => whole(what, 1, 1_000_000_000_000);

/** A new policy version (D17): its day and every number the policy has, none left out. */
export const newPolicyVersionBody = lazySchema(() =>
  z.strictObject({
    effectiveFrom: localDate,
    ceoThresholdFen: fen('ceoThresholdFen'),
    amountCeilingFen: fen('amountCeilingFen'),
    paymentCutoffHour: whole('paymentCutoffHour', 0, 23),
    paymentCutoffMinute: whole('paymentCutoffMinute', 0, 59),
    maxEvidenceBytes: whole('maxEvidenceBytes', 1024, 4 * 1024 * 1024),
    maxOrdersPerVoucher: whole('maxOrdersPerVoucher', 1, 20),
    maxEvidencePerVoucher: whole('maxEvidencePerVoucher', 1, 10),
    maxVersionsPerVoucher: whole('maxVersionsPerVoucher', 1, 5),
    approvalRemindersBeforeEscalation: whole('approvalRemindersBeforeEscalation', 0, 10),
    approvalLinkDays: whole('approvalLinkDays', 1, 60),
    invoiceRemindersBeforeEscalation: whole('invoiceRemindersBeforeEscalation', 0, 10),
    dailyExportTime: timeOfDay,
    reconciliationDueWeekday: z.enum(WEEKDAYS),
    reconciliationReminderTime: timeOfDay,
    invoiceBatchDays: z
      .array(whole('invoiceBatchDays', 1, 31))
      .min(1)
      .max(4)
      .refine((days) => new Set(days).size === days.length, '批次日不能重复 batch days must differ'),
    invoiceBatchCloseHour: whole('invoiceBatchCloseHour', 0, 23),
    invoiceIssuanceWorkingDays: whole('invoiceIssuanceWorkingDays', 1, 30),
    invoiceMailingCalendarDays: whole('invoiceMailingCalendarDays', 1, 60),
  }),
);

const entityParams = lazySchema(() => z.object({ id: recordId('entity id') }));

/** A calendar year the rules can work with (the package's data starts in 2004). */
export const yearParam = z
  .string()
  .regex(/^\d{4}$/, '四位数的年份 a four-digit year')
  .transform(Number)
  .refine((year) => year >= 2000 && year <= 2100, '2000 到 2100 年 a year from 2000 to 2100');
const yearParams = lazySchema(() => z.object({ year: yearParam }));
const dateParams = lazySchema(() => z.object({ date: localDate }));
/** Sent again with `confirm: true` once the caller has seen which documents a change moves (D16). */
const confirm = lazySchema(() => z.boolean().optional());

export const calendarOverrideBody = lazySchema(() =>
  z.strictObject({
    date: localDate,
    working: z.boolean({ message: 'working 须为 true 或 false working must be true or false' }),
    reason: typedText({ what: 'reason', min: 2, max: 500, required: 'why the day is changed' }),
    confirm,
  }),
);
const removeOverrideQuery = lazySchema(() =>
  z.strictObject({ confirm: z.enum(['true', 'false']).optional() }),
);

export const calendarYearBody = lazySchema(() =>
  z.strictObject({
    source: typedText({ what: 'source', min: 2, max: 500, required: 'the notice it comes from' }),
    holidays: z.array(localDate).max(120),
    workdays: z.array(localDate).max(30),
    confirm,
  }),
);

export const settingsApi = (deps: AppDeps) =>
  apiFunction(deps, settingsApiRoutes, {
    getPolicy: jwt({ params: entityParams }, async ({ params, caller }) =>
      json(200, await policyVersions(deps, caller, params.id)),
    ),
    addPolicyVersion: jwt(
      { params: entityParams, body: newPolicyVersionBody },
      async ({ params, body, caller }) => json(201, await addPolicyVersion(deps, caller, params.id, body)),
    ),
    getCalendarYear: jwt({ params: yearParams }, async ({ params, caller }) =>
      json(200, await calendarYear(deps, caller, params.year)),
    ),
    setCalendarOverride: jwt({ body: calendarOverrideBody }, async ({ body, caller }) =>
      json(200, await setCalendarOverride(deps, caller, body)),
    ),
    removeCalendarOverride: jwt(
      { params: dateParams, query: removeOverrideQuery },
      async ({ params, query, caller }) =>
        json(
          200,
          await removeCalendarOverride(deps, caller, {
            date: params.date,
            confirm: query.confirm === 'true',
          }),
        ),
    ),
    loadCalendarYear: jwt({ params: yearParams, body: calendarYearBody }, async ({ params, body, caller }) =>
      json(200, await loadCalendarYear(deps, caller, { ...body, year: params.year })),
    ),
  });
