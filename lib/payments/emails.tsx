/**
 * The payment and invoice-chase emails (POLICY 2.1(3), 2.2(3), D9). Same shape as the approval
 * emails: text and HTML from the same facts, every value escaped by preact, links to pages only.
 */

import { message, payeeLine } from '../approvals/emails.tsx';
import type { LocalDate, Voucher } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import type { MailMessage } from '../mail/mailer.ts';

const facts = (voucher: Voucher) =>
  `¥${formatFen(voucher.amountFen)} → ${voucher.supplierName}（${voucher.goods}）`;

export function paymentFailedNotice(
  voucher: Voucher,
  to: string[],
  by: string,
  reason: string,
  link: string,
): MailMessage {
  return message(
    to,
    `[fundflow] 付款失败 Payment failed: ${facts(voucher)}`,
    [
      `出纳 ${by} 付款失败 The cashier could not pay ${voucher.id}: ${facts(voucher)}`,
      payeeLine(voucher),
      `原因 Reason: ${reason}`,
      '请决定重新安排付款或退回申请人。Decide: schedule the payment again, or return the voucher to the applicant.',
    ],
    link,
    undefined,
    '打开付款凭单 Open the voucher',
  );
}

export type InvoiceChaseKind = 'REQUEST' | 'REMINDER' | 'ESCALATION';

export function supplierInvoiceRequest(
  kind: InvoiceChaseKind,
  voucher: Voucher,
  link: string,
  escalateTo: string[],
): MailMessage {
  const subject =
    kind === 'REQUEST'
      ? '已付款，请登记供应商发票 Paid — record the supplier’s invoice'
      : kind === 'REMINDER'
        ? '提醒：请登记供应商发票 Reminder: the supplier’s invoice'
        : '已升级：供应商发票仍未登记 Escalated: supplier invoice still missing';
  return message(
    [voucher.applicant],
    `[fundflow] ${subject}: ${facts(voucher)}`,
    [
      `${voucher.id} 已于 ${voucher.payment?.paidOn ?? ''} 付款 was paid on ${voucher.payment?.paidOn ?? ''} (bank reference ${voucher.payment?.bankReference ?? ''}).`,
      '请向供应商索取发票并在 fundflow 登记；一般纳税人须开具增值税专用发票。Ask the supplier for the invoice and record it; a general VAT taxpayer must issue a VAT special invoice (POLICY 2.1(3)).',
      ...(kind === 'ESCALATION'
        ? [`Still missing after several reminders; ${escalateTo.join(', ')} are informed.`]
        : []),
    ],
    link,
    kind === 'ESCALATION' ? escalateTo : undefined,
    '登记发票 Record the invoice',
  );
}

/** End of a payment day: what is still unpaid goes to the cashier, and finance hears of it. */
export function unpaidRunReminder(
  date: LocalDate,
  vouchers: readonly Voucher[],
  cashiers: string[],
  finance: string[],
  link: string,
): MailMessage {
  const total = vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0);
  return message(
    cashiers,
    `[fundflow] 今日付款未完成 Unpaid in the run of ${date}: ${vouchers.length} (¥${formatFen(total)})`,
    [
      `${date} 付款批次仍有 ${vouchers.length} 笔未付 ${vouchers.length} voucher(s) of the run of ${date} are not recorded as paid:`,
      ...vouchers.map(
        (voucher) => `${voucher.id} · ${facts(voucher)} · due ${voucher.payment?.dueDate ?? ''}`,
      ),
      `财务已知悉 Escalated to finance: ${finance.join(', ')}.`,
    ],
    link,
    finance,
    '打开付款批次 Open the payment run',
  );
}
