/**
 * The policy's numbers as versioned settings (POLICY D17): every document records the version it was
 * decided under. These defaults are the policy text's values.
 */
import { RuleViolationError, ValidationError } from './errors.ts';
import type { Fen, LocalDate } from './model.ts';

/** The days of the week, Monday first (ISO 8601: MON is day 1). */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface PolicySettings {
  version: number;
  /**
   * D17: the Asia/Shanghai day the version takes effect, from 00:00 of that day. Absent on versions
   * stored before versions had a day (the seed's, the defaults): in effect since always.
   */
  effectiveFrom?: LocalDate;
  /** POLICY 2.2(2), D1: at or above this, the CEO approves. 500,000.00 yuan. */
  ceoThresholdFen: Fen;
  /** The largest amount a voucher may carry (a typo guard, D14). */
  amountCeilingFen: Fen;
  /** POLICY 2.2(3), D3: payable before this hour (Asia/Shanghai) → paid that working day. */
  paymentCutoffHour: number;
  /** POLICY 2.2(3), D3: the cutoff's minute past `paymentCutoffHour` (12:00 under the policy text). */
  paymentCutoffMinute: number;
  maxEvidenceBytes: number;
  evidenceContentTypes: readonly string[];
  /** What a travelling approver's consent email may be uploaded as (D6). */
  consentEmailContentTypes: readonly string[];
  /** What a copy of the supplier's invoice may be (D9): fully digital invoices come as PDF, OFD or XML. */
  invoiceFileContentTypes: readonly string[];
  maxOrdersPerVoucher: number;
  /** POLICY 2.1(2): evidence files one voucher may carry (each cited once). */
  maxEvidencePerVoucher: number;
  /** POLICY D19: how often a rejected voucher may be edited and resubmitted; then it is a new voucher. */
  maxVersionsPerVoucher: number;
  /** Reminders to an approver before the escalation to their manager and finance. */
  approvalRemindersBeforeEscalation: number;
  /** How long an emailed approval link stays valid. */
  approvalLinkDays: number;
  /** POLICY D9: weekly reminders to the applicant for the supplier's invoice before finance hears of it. */
  invoiceRemindersBeforeEscalation: number;
  /** POLICY 3.2, D11: the weekday after the reconciliation week the sales summary is due (then the next working day). */
  reconciliationDueWeekday: Weekday;
  /** POLICY 3.2: `HH:mm` Asia/Shanghai on the due day when merchandising is reminded of a missing summary. */
  reconciliationReminderTime: string;
  /** POLICY 4, D12: the days of the month customer invoice requests go to finance as one batch. */
  invoiceBatchDays: readonly number[];
  /** POLICY D12: a batch closes at this hour (Asia/Shanghai) on its batch day and goes to finance. */
  invoiceBatchCloseHour: number;
  /** POLICY 4, D13: finance issues within this many working days after the day the batch reached it. */
  invoiceIssuanceWorkingDays: number;
  /** POLICY 4, D13: customer service reports the mailing details within this many calendar days. */
  invoiceMailingCalendarDays: number;
  /** What an invoice line says by default (POLICY 4): overridable per request. */
  invoiceLineDefaults: InvoiceLineDefaults;
  /** POLICY 3.1, D10: the daily export runs on working days at this time, Asia/Shanghai (`HH:mm`). */
  dailyExportTime: string;
}

/** An invoice line's goods, tax classification code (19 digits) and rate as a percentage, e.g. 13 or 6. */
export interface InvoiceLineDefaults {
  itemName: string;
  taxCode: string;
  taxRatePercent: number;
}

export const DEFAULT_POLICY: PolicySettings = {
  version: 1,
  ceoThresholdFen: 50_000_000,
  amountCeilingFen: 10_000_000_000,
  paymentCutoffHour: 12,
  paymentCutoffMinute: 0,
  maxEvidenceBytes: 4 * 1024 * 1024,
  evidenceContentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/pdf'],
  consentEmailContentTypes: ['message/rfc822'],
  invoiceFileContentTypes: [
    'application/pdf',
    'application/ofd',
    'application/xml',
    'text/xml',
    'image/png',
    'image/jpeg',
  ],
  maxOrdersPerVoucher: 20,
  maxEvidencePerVoucher: 10,
  maxVersionsPerVoucher: 5,
  approvalRemindersBeforeEscalation: 2,
  approvalLinkDays: 14,
  invoiceRemindersBeforeEscalation: 3,
  reconciliationDueWeekday: 'TUE',
  reconciliationReminderTime: '10:00',
  invoiceBatchDays: [10, 25],
  invoiceBatchCloseHour: 17,
  invoiceIssuanceWorkingDays: 3,
  invoiceMailingCalendarDays: 7,
  // 1060512990000000000: 商品和服务税收分类编码 of 日用杂品 (everyday goods), at the general 13% rate.
  invoiceLineDefaults: { itemName: '日用杂品', taxCode: '1060512990000000000', taxRatePercent: 13 },
  dailyExportTime: '17:30',
};

/**
 * The most any policy version may set for the limits that size a voucher's DynamoDB item (400 KB at
 * most): the edges refuse more than these whatever a version says, and a version above them is not
 * stored, so no voucher can outgrow its item by construction (the worst case is computed in
 * test/unit/item-size.test.ts). A version may set less.
 */
export const VOUCHER_SIZE_CEILINGS = {
  maxOrdersPerVoucher: 20,
  maxEvidencePerVoucher: 10,
  maxVersionsPerVoucher: 5,
} as const satisfies Partial<Record<keyof PolicySettings, number>>;

/**
 * A policy version within the ceilings, every limit at least 1, the reconciliation's due weekday and
 * reminder time real ones; otherwise refused, naming the setting.
 */
export function assertPolicyWithinCeilings(policy: PolicySettings): void {
  const issues = Object.entries(VOUCHER_SIZE_CEILINGS).flatMap(([setting, ceiling]) => {
    const value = policy[setting as keyof typeof VOUCHER_SIZE_CEILINGS];
    return Number.isInteger(value) && value >= 1 && value <= ceiling
      ? []
      : [{ path: setting, message: `1 到 ${ceiling} 的整数 a whole number from 1 to ${ceiling}` }];
  });
  // POLICY 3.2, D11: the reconciliation's due weekday and reminder time must name a real day and time.
  if (!(WEEKDAYS as readonly string[]).includes(policy.reconciliationDueWeekday)) {
    issues.push({
      path: 'reconciliationDueWeekday',
      message: `星期 MON 到 SUN 之一 one of the weekdays ${WEEKDAYS.join(', ')}`,
    });
  }
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d$/.test(policy.reconciliationReminderTime)) {
    issues.push({
      path: 'reconciliationReminderTime',
      message: '北京时间 HH:mm（00:00 到 23:59）a time of day HH:mm from 00:00 to 23:59, Beijing time',
    });
  }
  const first = issues[0];
  if (first) {
    throw new ValidationError(`制度设置有误 Policy setting ${first.path}: ${first.message}.`, { issues });
  }
}

/** The settings an administrator sets in a new version (D17); the file types and invoice line carry over. */
export const EDITABLE_POLICY_SETTINGS = [
  'ceoThresholdFen',
  'amountCeilingFen',
  'paymentCutoffHour',
  'paymentCutoffMinute',
  'maxEvidenceBytes',
  'maxOrdersPerVoucher',
  'maxEvidencePerVoucher',
  'maxVersionsPerVoucher',
  'approvalRemindersBeforeEscalation',
  'approvalLinkDays',
  'invoiceRemindersBeforeEscalation',
  'dailyExportTime',
  'reconciliationDueWeekday',
  'reconciliationReminderTime',
  'invoiceBatchDays',
  'invoiceBatchCloseHour',
  'invoiceIssuanceWorkingDays',
  'invoiceMailingCalendarDays',
] as const satisfies readonly (keyof PolicySettings)[];
export type EditablePolicySettings = Pick<PolicySettings, (typeof EDITABLE_POLICY_SETTINGS)[number]>;

/** A version stored before versions had a day has been in effect since always. */
const SINCE_ALWAYS = '0000-01-01';

/**
 * POLICY D17: the version in effect on an Asia/Shanghai day — the newest whose day has come (a
 * version takes effect at 00:00 of its `effectiveFrom`); the defaults when none has.
 */
export function policyInEffectOn(versions: readonly PolicySettings[], day: LocalDate): PolicySettings {
  let inEffect: PolicySettings | undefined;
  for (const version of versions) {
    if ((version.effectiveFrom ?? SINCE_ALWAYS) > day) continue;
    if (!inEffect || version.version > inEffect.version) inEffect = version;
  }
  return inEffect ?? DEFAULT_POLICY;
}

/**
 * POLICY D17: when a new version may take effect — not in the past (today, Asia/Shanghai, or later),
 * and not before the newest stored version's day, so the newest version whose day has come is always
 * the one in effect and a scheduled version is replaced only by a later one, never rewritten.
 */
export function assertVersionMayTakeEffect(
  effectiveFrom: LocalDate,
  today: LocalDate,
  newest: PolicySettings | undefined,
): void {
  if (effectiveFrom < today) {
    throw new RuleViolationError(
      'POLICY_VERSION_IN_THE_PAST',
      `新版本不能从过去的日期生效：今天是 ${today}，请选今天或以后的日期。A new version cannot take effect in the past: today is ${today}; choose today or a later day.`,
      { issues: [{ path: 'effectiveFrom', message: `${today} 或以后 ${today} or later` }] },
    );
  }
  const newestFrom = newest?.effectiveFrom;
  if (newestFrom && effectiveFrom < newestFrom) {
    throw new RuleViolationError(
      'POLICY_VERSION_BEFORE_NEWEST',
      `第 ${newest.version} 版从 ${newestFrom} 生效，新版本不能早于它。Version ${newest.version} takes effect on ${newestFrom}; a new version cannot take effect before it.`,
      { issues: [{ path: 'effectiveFrom', message: `${newestFrom} 或以后 ${newestFrom} or later` }] },
    );
  }
}
