/**
 * The approval chain's emails. Text and HTML from the same facts; HTML through preact, so every
 * value is escaped. No task token ever appears here — only signed links.
 */
import { render } from 'preact-render-to-string';
import { accountFor } from '../domain/account-visibility.ts';
import type { ApprovalStep, Voucher } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import type { MailMessage } from '../mail/mailer.ts';

export const STEP_NAMES: Record<ApprovalStep, string> = {
  HEAD_OF_MERCHANDISING: '商品部负责人审批 head of merchandising approval',
  CEO: 'CEO 审批 CEO approval',
  FINANCE_REVIEW: '财务部复核 finance review',
  PAYMENT: '出纳付款 payment',
};

export function message(
  to: string[],
  subject: string,
  lines: string[],
  link?: string,
  cc?: string[],
  linkLabel = '打开审批页面 Open the approval page',
): MailMessage {
  const text = [...lines, ...(link ? ['', link] : [])].join('\n');
  const html = render(
    <div style="font-family:sans-serif">
      {lines.map((line) => (
        <p>{line}</p>
      ))}
      {link && (
        <p>
          <a href={link}>{linkLabel}</a>
        </p>
      )}
    </div>,
  );
  return { to, ...(cc?.length ? { cc } : {}), subject, text, html, links: link ? [link] : [] };
}

const facts = (voucher: Voucher) =>
  `¥${formatFen(voucher.amountFen)} → ${voucher.supplierName}（${voucher.goods}）`;

/** The payee as an email shows it: the account masked for every reader (lib/domain/account-visibility.ts). */
export const payeeLine = (voucher: Voucher) =>
  `收款人 Payee: ${voucher.payee.name} · ${voucher.payee.bank} · 账号 account ${accountFor(null, 'email', voucher.payee.account)}`;

export function approvalRequest(
  kind: 'REQUEST' | 'REMINDER' | 'ESCALATION',
  voucher: Voucher,
  step: ApprovalStep,
  to: string,
  link: string,
  escalateTo: string[],
): MailMessage {
  const prefix = kind === 'REQUEST' ? '请审批' : kind === 'REMINDER' ? '提醒：请审批' : '已升级：仍待审批';
  const english =
    kind === 'REQUEST'
      ? 'Please decide'
      : kind === 'REMINDER'
        ? 'Reminder: please decide'
        : 'Escalated: still waiting';
  return message(
    [to],
    `[fundflow] ${prefix} ${english}: ${facts(voucher)}`,
    [
      `${STEP_NAMES[step]}: ${facts(voucher)}`,
      payeeLine(voucher),
      `申请人 Applicant: ${voucher.applicant}`,
      kind === 'ESCALATION'
        ? `No decision after several working days; ${escalateTo.join(', ')} are informed.`
        : 'The page shows the voucher; nothing is decided until you press a button there.',
    ],
    link,
    kind === 'ESCALATION' ? escalateTo : undefined,
  );
}

export function rejectionNotice(
  voucher: Voucher,
  step: ApprovalStep,
  by: string,
  reason: string,
  link: string,
): MailMessage {
  return message(
    [voucher.applicant],
    `[fundflow] 已退回 Rejected: ${facts(voucher)}`,
    [
      `${STEP_NAMES[step]} — ${by} 退回了付款凭单 rejected the voucher.`,
      `原因 Reason: ${reason}`,
      '修改后重新提交将生成新版本并重新审批。Edit and resubmit to start a new version and a new approval chain.',
    ],
    link,
  );
}
