/**
 * The payment and invoice-chase emails (POLICY 2.1(3), 2.2(3), D9), in the kit's frame and words
 * (lib/ui/email.tsx, lib/ui/labels.ts): text and HTML from the same facts, links to pages only.
 */
import type { LocalDate } from '../domain/model.ts';
import { type Email, email, payeeLine, voucherFacts } from '../ui/email.tsx';
import { yuan } from '../ui/format.ts';
import { type NumberedVoucher as Voucher, voucherName, voucherNumberOf } from './voucher-number.ts';

/** A subject names the voucher by its short number, when it has one (people say it on the phone). */
const numbered = (voucher: Voucher) => {
  const number = voucherNumberOf(voucher);
  return number ? `${number} ` : '';
};

export function paymentFailedNotice(
  voucher: Voucher,
  to: string[],
  by: string,
  reason: string,
  link: string,
): Email {
  return email({
    to,
    subject: `[fundflow] 付款失败 Payment failed: ${numbered(voucher)}${voucherFacts(voucher)}`,
    lines: [
      `出纳 ${by} 未能付款 ${voucherName(voucher)} The cashier could not pay ${voucherName(voucher)}: ${voucherFacts(voucher)}`,
      payeeLine(voucher),
      `原因 Reason: ${reason}`,
      '请决定重新安排付款或退回申请人。Decide: schedule the payment again, or return the voucher to the applicant.',
    ],
    links: [{ href: link, label: '打开付款凭单 Open the voucher' }],
  });
}

export type InvoiceChaseKind = 'REQUEST' | 'REMINDER' | 'ESCALATION';

export function supplierInvoiceRequest(
  kind: InvoiceChaseKind,
  voucher: Voucher,
  link: string,
  escalateTo: string[],
): Email {
  const subject =
    kind === 'REQUEST'
      ? '已付款，请登记供应商发票 Paid — record the supplier’s invoice'
      : kind === 'REMINDER'
        ? '提醒：请登记供应商发票 Reminder: the supplier’s invoice'
        : '已升级：供应商发票仍未登记 Escalated: supplier invoice still missing';
  const paidOn = voucher.payment?.paidOn ?? '';
  return email({
    to: [voucher.applicant],
    cc: kind === 'ESCALATION' ? escalateTo : undefined,
    subject: `[fundflow] ${subject}: ${numbered(voucher)}${voucherFacts(voucher)}`,
    lines: [
      `${voucherName(voucher)} 已于 ${paidOn} 付款 was paid on ${paidOn} (银行流水号 bank reference ${voucher.payment?.bankReference ?? ''}).`,
      '请向供应商索取发票并在 fundflow 登记；一般纳税人须开具增值税专用发票。Ask the supplier for the invoice and record it; a general VAT taxpayer must issue a VAT special invoice.',
      ...(kind === 'ESCALATION'
        ? [
            `多次提醒后仍未登记，已通知 ${escalateTo.join(', ')}。Still missing after several reminders; ${escalateTo.join(', ')} are informed.`,
          ]
        : []),
    ],
    links: [{ href: link, label: '登记发票 Record the invoice' }],
  });
}

/** End of a payment day: what is still unpaid goes to the cashier, and finance hears of it. */
export function unpaidRunReminder(
  date: LocalDate,
  vouchers: readonly Voucher[],
  cashiers: string[],
  finance: string[],
  link: string,
): Email {
  const total = vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0);
  return email({
    to: cashiers,
    cc: finance,
    subject: `[fundflow] 今日付款未完成 Unpaid in the run of ${date}: ${vouchers.length} (${yuan(total)})`,
    lines: [
      `${date} 付款批次仍有 ${vouchers.length} 笔未付 ${vouchers.length} voucher(s) of the run of ${date} are not recorded as paid:`,
      ...vouchers.map(
        (voucher) =>
          `${voucherName(voucher)} · ${voucherFacts(voucher)} · 应付日 due ${voucher.payment?.dueDate ?? ''}`,
      ),
      `财务已知悉 Escalated to finance: ${finance.join(', ')}.`,
    ],
    links: [{ href: link, label: '打开付款批次 Open the payment run' }],
  });
}
