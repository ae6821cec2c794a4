/**
 * The policy's numbers as versioned settings (POLICY D17): every document records the version it was
 * decided under. These defaults are the policy text's values.
 */
import { ValidationError } from './errors.ts';
import type { Fen } from './model.ts';

export interface PolicySettings {
  version: number;
  /** POLICY 2.2(2), D1: at or above this, the CEO approves. 500,000.00 yuan. */
  ceoThresholdFen: Fen;
  /** The largest amount a voucher may carry (a typo guard, D14). */
  amountCeilingFen: Fen;
  /** POLICY 2.2(3), D3: payable before this hour (Asia/Shanghai) → paid that working day. */
  paymentCutoffHour: number;
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
  /** POLICY 3.1, D10: the daily export runs on working days at this time, Asia/Shanghai (`HH:mm`). */
  dailyExportTime: string;
}

export const DEFAULT_POLICY: PolicySettings = {
  version: 1,
  ceoThresholdFen: 50_000_000,
  amountCeilingFen: 10_000_000_000,
  paymentCutoffHour: 12,
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

/** A policy version within the ceilings, every limit at least 1; otherwise refused, naming the setting. */
export function assertPolicyWithinCeilings(policy: PolicySettings): void {
  const issues = Object.entries(VOUCHER_SIZE_CEILINGS).flatMap(([setting, ceiling]) => {
    const value = policy[setting as keyof typeof VOUCHER_SIZE_CEILINGS];
    return Number.isInteger(value) && value >= 1 && value <= ceiling
      ? []
      : [{ path: setting, message: `1 到 ${ceiling} 的整数 a whole number from 1 to ${ceiling}` }];
  });
  const first = issues[0];
  if (first) {
    throw new ValidationError(`制度设置有误 Policy setting ${first.path}: ${first.message}.`, { issues });
  }
}
