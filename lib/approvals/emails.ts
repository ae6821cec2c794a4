/**
 * The approval chain's emails, in the kit's frame (lib/ui/email.tsx) and words (lib/ui/labels.ts):
 * text and HTML from the same facts, every value escaped, links to pages only — never a task token.
 */
import type { ApprovalStep, Voucher, VoucherStatus } from '../domain/model.ts';
import { type Email, email, payeeLine, voucherFacts, voucherName } from '../ui/email.tsx';
import { labelText, STEP_LABELS, VOUCHER_STATUS_LABELS } from '../ui/labels.ts';

const OPEN_APPROVAL = '打开审批页面 Open the approval page';
const OPEN_VOUCHER = '打开凭单 Open the voucher';

const step = (name: ApprovalStep) => labelText(STEP_LABELS[name]);

export function approvalRequest(
  kind: 'REQUEST' | 'REMINDER' | 'ESCALATION',
  voucher: Voucher,
  stepName: ApprovalStep,
  to: string,
  link: string,
  escalateTo: string[],
): Email {
  const prefix = kind === 'REQUEST' ? '请审批' : kind === 'REMINDER' ? '提醒：请审批' : '已升级：仍待审批';
  const english =
    kind === 'REQUEST'
      ? 'Please decide'
      : kind === 'REMINDER'
        ? 'Reminder: please decide'
        : 'Escalated: still waiting';
  return email({
    to: [to],
    cc: kind === 'ESCALATION' ? escalateTo : undefined,
    subject: `[fundflow] ${prefix} ${english}: ${voucherFacts(voucher)}`,
    lines: [
      `${step(stepName)}: ${voucherFacts(voucher)}`,
      payeeLine(voucher),
      `申请人 Applicant: ${voucher.applicant}`,
      kind === 'ESCALATION'
        ? `几个工作日仍未审批，已通知 ${escalateTo.join(', ')}。No decision after several working days; ${escalateTo.join(', ')} are informed.`
        : '页面显示凭单详情；只有您在页面上按下按钮才会审批。The page shows the voucher; nothing is decided until you press a button there.',
    ],
    links: [{ href: link, label: OPEN_APPROVAL }],
  });
}

export function rejectionNotice(
  voucher: Voucher,
  stepName: ApprovalStep,
  by: string,
  reason: string,
  link: string,
): Email {
  return email({
    to: [voucher.applicant],
    subject: `[fundflow] 已退回 Rejected: ${voucherFacts(voucher)}`,
    lines: [
      `${step(stepName)} — ${by} 退回了付款凭单 rejected the voucher.`,
      `原因 Reason: ${reason}`,
      '修改后重新提交将生成新版本并重新审批。Edit and resubmit to start a new version and a new approval chain.',
    ],
    links: [{ href: link, label: OPEN_APPROVAL }],
  });
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
}): Email {
  const { voucher } = input;
  const label = STEP_LABELS[input.step];
  return email({
    to: [input.approver],
    subject: `[fundflow] 已代您审批 Approved in your name by ${input.proxy}: ${voucherFacts(voucher)}`,
    lines: [
      `${input.proxy} 根据您的同意邮件，代您记录了${label.zh}：${voucherFacts(voucher)}（凭单 ${voucherName(voucher)}）。`,
      `${input.proxy} recorded your ${label.en.toLowerCase()} in your name from your consent email: voucher ${voucherName(voucher)}.`,
      '如果您没有同意这笔付款，请立即点击“拒绝”：付款前，凭单会退回到您这一步重新审批，财务会收到通知。',
      'If you did not agree to this payment, refuse it now: before payment the voucher goes back to your step to be decided again, and finance is told.',
      '回到办公室后，请用“补签”链接一次补签所有代录的审批。Back in the office, countersign every approval recorded for you in one action.',
    ],
    links: [
      { href: input.refuseLink, label: '拒绝这次代录的审批 Refuse this approval' },
      { href: input.countersignLink, label: '补签 Countersign' },
    ],
  });
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
}): Email {
  const { voucher } = input;
  const label = STEP_LABELS[input.step];
  return email({
    to: input.to,
    subject: `[fundflow] 代录审批被拒，凭单已退回 Proxy approval refused, voucher sent back: ${voucherFacts(voucher)}`,
    lines: [
      `${input.approver} 拒绝了 ${input.proxy} 代其记录的${label.zh}（凭单 ${voucherName(voucher)}）。`,
      `${input.approver} refused the ${label.en.toLowerCase()} that ${input.proxy} recorded in their name (voucher ${voucherName(voucher)}).`,
      `凭单已退回，以下步骤需重新审批 The voucher is back in approval; these steps are decided again: ${input.redo.map(step).join(', ')}.`,
      ...(input.droppedDueDate
        ? [
            `原定 ${input.droppedDueDate} 的付款已取消，重新审批后再安排。The payment planned for ${input.droppedDueDate} is cancelled until it is approved again.`,
          ]
        : []),
      `原因 Reason: ${input.reason || '（未填写 none given）'}`,
    ],
    links: [{ href: input.link, label: OPEN_VOUCHER }],
  });
}

/** POLICY D6: the approver's countersigns still outstanding, in one link. */
export function countersignReminder(approver: string, count: number, link: string): Email {
  return email({
    to: [approver],
    subject: `[fundflow] 待补签 Countersign ${count} approval(s) given by email`,
    lines: [
      `${count} 项审批是根据您的邮件代为记录的。${count} approval(s) were recorded from your emails while you were away.`,
      '请打开链接一次补签，或拒绝您没有同意的。Open the link to countersign them all at once, or refuse any you did not give.',
    ],
    links: [{ href: link, label: '补签 Countersign' }],
  });
}

/** POLICY D6: a countersign refused after payment (or once it cannot go back): finance and the CEO decide. */
export function countersignRefusedNotice(input: {
  voucher: Voucher;
  to: string[];
  approver: string;
  proxy: string | undefined;
  step: ApprovalStep;
  status: VoucherStatus;
  reason: string;
  inBankFile: boolean;
  link: string;
}): Email {
  const { voucher } = input;
  const label = STEP_LABELS[input.step];
  return email({
    to: input.to,
    subject: `[fundflow] 补签被拒 Countersign refused: ${voucherFacts(voucher)}`,
    lines: [
      `${input.approver} 拒绝补签 ${input.proxy ?? ''} 根据其邮件代录的${label.zh}。`,
      `${input.approver} refused to countersign the ${label.en.toLowerCase()} recorded by ${input.proxy ?? 'a proxy'} from their email.`,
      `凭单 Voucher ${voucherName(voucher)}: ${labelText(VOUCHER_STATUS_LABELS[input.status])}. 原因 Reason: ${input.reason || '（未填写 none given）'}`,
      ...(input.inBankFile
        ? [
            '该凭单已在银行批量付款文件中，请先与银行核实是否已付款。It is in a bank batch file already: check with the bank whether it was paid.',
          ]
        : []),
    ],
    links: [{ href: input.link, label: OPEN_VOUCHER }],
  });
}
