/**
 * The invoicing emails (POLICY 4, D12), in the kit's frame and words (lib/ui/email.tsx): text and
 * HTML from the same facts, links to pages only.
 */
import type { LocalDate } from '../domain/model.ts';
import { type Email, email } from '../ui/email.tsx';
import { yuan } from '../ui/format.ts';

/** The close: the batch has reached finance, with its lines, total and deadline. */
export function batchForFinance(input: {
  batchDate: LocalDate;
  dueBy: LocalDate;
  lines: number;
  totalFen: number;
  to: string[];
  link: string;
  /** The 《开票申请表》's download (the file is attached too). */
  fileLink: string;
}): Email {
  return email({
    to: input.to,
    subject: `[fundflow] 开票批次 ${input.batchDate} 已交财务 Invoice batch of ${input.batchDate} for finance: ${input.lines} (${yuan(input.totalFen)})`,
    lines: [
      `${input.batchDate} 的开票批次已截止，共 ${input.lines} 份申请，合计 ${yuan(input.totalFen)}。The invoice batch of ${input.batchDate} has closed: ${input.lines} requests, ${yuan(input.totalFen)} in all.`,
      `请在 ${input.dueBy} 当天结束前开具或退回每一份。Issue or return each of them by the end of ${input.dueBy}.`,
      '附件是《开票申请表》，按税务局批量开具模板，可直接导入。The 《开票申请表》 is attached, on the tax bureau’s batch-issuance template, ready to import.',
    ],
    links: [
      { href: input.link, label: '打开开票批次 Open the batch' },
      { href: input.fileLink, label: '下载《开票申请表》 Download the 《开票申请表》' },
    ],
  });
}

export type InvoiceDeadlineKind =
  | 'FINANCE_REMINDER'
  | 'FINANCE_ESCALATION'
  | 'MAILING_REMINDER'
  | 'MAILING_ESCALATION';

/**
 * D13's reminders and escalations, one email per kind: finance's batches due today (or due
 * yesterday and still open), and the issued invoices whose mailing is due today (or late).
 */
export function invoiceDeadlineNotice(input: {
  kind: InvoiceDeadlineKind;
  day: LocalDate;
  /** One line per batch or request, already in both languages. */
  items: string[];
  to: string[];
  cc?: string[];
  link: string;
}): Email {
  const words = {
    FINANCE_REMINDER: {
      subject: '提醒：开票批次今天到期 Reminder: invoice batches due today',
      intro:
        '以下批次今天到期，仍有申请未开具或退回。These batches are due today and still have requests to issue or return.',
    },
    FINANCE_ESCALATION: {
      subject: '已升级：开票批次已逾期 Escalated: invoice batches overdue',
      intro:
        '以下批次昨天已到期，仍有申请未开具或退回。These batches were due yesterday and still have requests to issue or return.',
    },
    MAILING_REMINDER: {
      subject: '提醒：发票寄送信息今天到期 Reminder: invoice mailings due today',
      intro:
        '以下发票的寄送信息今天到期，请登记寄送。The mailing of these invoices is due today; record how each was sent.',
    },
    MAILING_ESCALATION: {
      subject: '已升级：发票寄送信息已逾期 Escalated: invoice mailings overdue',
      intro:
        '以下发票的寄送信息已逾期，客服尚未登记。The mailing of these invoices is overdue; customer service has not recorded it.',
    },
  }[input.kind];
  return email({
    to: input.to,
    cc: input.cc,
    subject: `[fundflow] ${words.subject} (${input.day}): ${input.items.length}`,
    lines: [words.intro, ...input.items],
    links: [{ href: input.link, label: '打开开票申请 Open the invoice requests' }],
  });
}
