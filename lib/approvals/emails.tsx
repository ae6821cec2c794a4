/**
 * The approval chain's emails. Text and HTML from the same facts; HTML through preact, so every
 * value is escaped. No task token ever appears here — only signed links.
 */
import { render } from 'preact-render-to-string';
import { accountFor } from '../domain/access.ts';
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

/** The payee as an email shows it: the account masked for every reader (lib/domain/access.ts). */
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

/**
 * POLICY D6: the approver hears at once that a proxy recorded an approval in their name, with a link
 * to refuse it (and the one to countersign everything pending).
 */
export function proxyApprovalNotice(input: {
  voucher: Voucher;
  step: ApprovalStep;
  approver: string;
  proxy: string;
  refuseLink: string;
  countersignLink: string;
}): MailMessage {
  const { voucher, step } = input;
  const lines = [
    `${input.proxy} 根据您的同意邮件，代您记录了${STEP_NAMES[step]}：${facts(voucher)}（凭单 ${voucher.id}）。`,
    `${input.proxy} recorded your ${STEP_NAMES[step]} in your name from your consent email: voucher ${voucher.id}.`,
    '如果您没有同意这笔付款，请立即点击“拒绝”：付款前，凭单会退回到您这一步重新审批，财务会收到通知。',
    'If you did not agree to this payment, refuse it now: before payment the voucher goes back to your step to be decided again, and finance is told.',
    '回到办公室后，请用“补签”链接一次补签所有代录的审批。Back in the office, countersign every approval recorded for you in one action.',
  ];
  const links = [
    { href: input.refuseLink, label: '拒绝这次代录的审批 Refuse this approval' },
    { href: input.countersignLink, label: '补签 Countersign' },
  ];
  const text = [...lines, '', ...links.flatMap((link) => [link.label, link.href])].join('\n');
  const html = render(
    <div style="font-family:sans-serif">
      {lines.map((line) => (
        <p>{line}</p>
      ))}
      {links.map((link) => (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ))}
    </div>,
  );
  return {
    to: [input.approver],
    subject: `[fundflow] 已代您审批 Approved in your name by ${input.proxy}: ${facts(voucher)}`,
    text,
    html,
    links: links.map((link) => link.href),
  };
}

/**
 * POLICY D6: finance hears that the approver refused a proxy approval before payment and the voucher
 * went back to that step; every step from it on is decided again.
 */
export function approvalWithdrawnNotice(input: {
  voucher: Voucher;
  to: string[];
  step: ApprovalStep;
  approver: string;
  proxy: string;
  reason: string;
  redo: ApprovalStep[];
  droppedDueDate: string | undefined;
  link: string;
}): MailMessage {
  const { voucher } = input;
  return message(
    input.to,
    `[fundflow] 代录审批被拒，凭单已退回 Proxy approval refused, voucher sent back: ${facts(voucher)}`,
    [
      `${input.approver} 拒绝了 ${input.proxy} 代其记录的${STEP_NAMES[input.step]}（凭单 ${voucher.id}）。`,
      `${input.approver} refused the ${STEP_NAMES[input.step]} that ${input.proxy} recorded in their name (voucher ${voucher.id}).`,
      `凭单已退回，以下步骤需重新审批 The voucher is back in approval; these steps are decided again: ${input.redo.map((step) => STEP_NAMES[step]).join(', ')}.`,
      ...(input.droppedDueDate
        ? [
            `原定 ${input.droppedDueDate} 的付款已取消，重新审批后再安排。The payment planned for ${input.droppedDueDate} is cancelled until it is approved again.`,
          ]
        : []),
      `原因 Reason: ${input.reason || '（未填写 none given）'}`,
    ],
    input.link,
    undefined,
    '打开凭单 Open the voucher',
  );
}
