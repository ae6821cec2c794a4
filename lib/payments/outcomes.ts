/**
 * The confirmation after each action of the payment pages: a form that did something answers with a
 * 303 to the page it returns to, naming the outcome in the query (`?done=paid&voucher=<id>`) — no
 * script, no cookie. The page shows the banner only when what it reads again agrees: the outcome is
 * one of the codes below (anything else is ignored), the voucher or file is looked up again and must
 * be in that state, and every word on the banner comes from the record, never from the URL.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { hasRole } from '../domain/access.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { LocalDate, Person, VoucherStatus } from '../domain/model.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { shanghaiTime, yuan } from '../ui/format.ts';
import { bankFileOf, tally } from './payment-run.ts';
import { bankFileId } from './schemas.ts';
import { voucherName } from './voucher-number.ts';

/** What a run page's action did. */
export const RUN_OUTCOMES = ['paid', 'failed', 'pulled', 'retried', 'returned', 'exported'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** What a voucher page's payment form did. */
export const VOUCHER_OUTCOMES = ['retried', 'returned', 'invoice-recorded', 'waived'] as const;
export type VoucherOutcome = (typeof VOUCHER_OUTCOMES)[number];

/** A voucher's id as the pages' paths take it (lib/http/input.ts recordId's shape). */
const voucherId = lazySchema(() =>
  z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
);

/** A run page's query: anything unknown or malformed is no outcome at all (never a 400). */
export const runOutcomeQuery = lazySchema(() =>
  z
    .object({
      done: z.enum(RUN_OUTCOMES).optional().catch(undefined),
      voucher: voucherId.optional().catch(undefined),
      batch: bankFileId.optional().catch(undefined),
    })
    .catch({ done: undefined, voucher: undefined, batch: undefined }),
);

export const voucherOutcomeOf = (query: Readonly<Record<string, unknown>>): VoucherOutcome | undefined =>
  z.enum(VOUCHER_OUTCOMES).optional().catch(undefined).parse(query.done);

/** `done=recorded` on a bank file's page: its payments were recorded. */
export const bankFileOutcomeQuery = lazySchema(() =>
  z.object({ done: z.literal('recorded').optional().catch(undefined) }).catch({ done: undefined }),
);

/** A banner's words (each line already bilingual) and its links. */
export interface Confirmation {
  title: string;
  lines: string[];
  links?: { href: string; label: string }[];
}

/**
 * What a confirmation reads of a voucher: the stored voucher (the run page reads it again) or the
 * voucher page's view of it, which has the same facts.
 */
export interface ConfirmedVoucher {
  id: string;
  number?: string | null | undefined;
  version: number;
  status: VoucherStatus;
  amountFen: number;
  payee: { name: string };
  payment?:
    | {
        status: string;
        dueDate: string;
        bankReference?: string | null | undefined;
        paidOn?: string | null | undefined;
        failureReason?: string | null | undefined;
        override?: { originalDueDate: string } | null | undefined;
        failures?: readonly unknown[] | undefined;
      }
    | null
    | undefined;
  approvals?: readonly { version: number; step: string; decision: string }[] | undefined;
  supplierInvoice?: { number: string } | null | undefined;
  invoiceWaiver?: unknown;
}

/** The voucher's facts in one line, as the record has them. */
const facts = (voucher: ConfirmedVoucher) =>
  `${voucherName(voucher)} · ${yuan(voucher.amountFen)} → ${voucher.payee.name}`;

/**
 * What a voucher-level outcome says, when the voucher as it is now agrees (else nothing): the run
 * page's pay, fail, pull forward, retry, return; the voucher page's retry, return, invoice, waiver.
 */
export function voucherConfirmation(
  voucher: ConfirmedVoucher,
  outcome: RunOutcome | VoucherOutcome,
): Confirmation | null {
  const payment = voucher.payment;
  switch (outcome) {
    case 'paid':
      if (payment?.status !== 'PAID') return null;
      return {
        title: '已记录付款 Payment recorded',
        lines: [
          facts(voucher),
          `银行流水号 Bank reference ${payment.bankReference ?? ''} · 付款日期 paid on ${payment.paidOn ?? ''}`,
          '已请申请人登记供应商发票。The applicant is asked for the supplier’s invoice.',
        ],
      };
    case 'failed':
      if (payment?.status !== 'PAYMENT_FAILED') return null;
      return {
        title: '已记录付款失败 Recorded as failed',
        lines: [
          facts(voucher),
          `原因 Reason: ${payment.failureReason ?? ''}`,
          '已通知财务，由财务决定重新安排或退回。Finance is told, and decides: schedule it again or return it.',
        ],
      };
    case 'pulled':
      if (payment?.status !== 'DUE' || !payment.override) return null;
      return {
        title: '已拉入今日批次 Pulled into today’s run',
        lines: [
          facts(voucher),
          `原定 ${payment.override.originalDueDate} 的批次，现可今天付款。It was due in the run of ${payment.override.originalDueDate}; it may be paid today.`,
        ],
      };
    case 'retried':
      if (voucher.status !== 'READY_FOR_PAYMENT' || !payment?.failures?.length) return null;
      return {
        title: '已重新安排付款 Scheduled again',
        lines: [facts(voucher), `排入 ${payment.dueDate} 的付款批次。In the run of ${payment.dueDate}.`],
      };
    case 'returned': {
      const returned = voucher.approvals?.some(
        (approval) =>
          approval.version === voucher.version &&
          approval.step === 'PAYMENT' &&
          approval.decision === 'REJECT',
      );
      if (voucher.status !== 'REJECTED' || !returned) return null;
      return {
        title: '已退回申请人 Returned to the applicant',
        lines: [facts(voucher), '申请人可修改后重新提交。The applicant may edit and resubmit it.'],
      };
    }
    case 'invoice-recorded': {
      const invoice = voucher.supplierInvoice;
      if (voucher.status !== 'CLOSED' || !invoice) return null;
      return {
        title: '已登记发票，凭单已关闭 Invoice recorded, voucher closed',
        lines: [facts(voucher), `发票号码 Invoice number ${invoice.number}`],
      };
    }
    case 'waived':
      if (!voucher.invoiceWaiver) return null;
      return {
        title: '已免专票 Special invoice waived',
        lines: [facts(voucher), '申请人可登记普通发票。The applicant may record an ordinary invoice.'],
      };
    case 'exported':
      return null;
  }
}

/**
 * The run page's banner for `?done=…`, read again: the voucher of the viewer's entity, or the bank
 * file of this run. Nothing when the outcome, the voucher or the file is unknown, or disagrees.
 */
export async function runConfirmation(
  deps: AppDeps,
  viewer: Person,
  day: LocalDate,
  query: z.output<typeof runOutcomeQuery>,
): Promise<Confirmation | null> {
  const { done } = query;
  if (!done) return null;
  if (done === 'exported') {
    if (!query.batch || !hasRole(viewer, 'CASHIER', 'FINANCE_REVIEWER')) return null;
    const file = await bankFileOf(deps, viewer, day, query.batch).catch((error: unknown) => {
      // A file of another day or entity, or none: no banner (anything else is a fault, and shows).
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!file) return null;
    const { count, totalFen } = tally(file.vouchers);
    const base = `/payment-runs/${day}/bank-batch/${file.id}`;
    return {
      title: '银行文件已生成 The bank file is ready',
      lines: [
        `${file.fileName} · ${count} 笔 transfers · ${yuan(totalFen)} · ${shanghaiTime(file.at)}`,
        '上传银行后，请按银行回单登记每笔的流水号。Once the bank has paid it, record each transfer’s bank reference.',
      ],
      links: [
        { href: `${base}/file`, label: '下载文件 Download the file' },
        { href: base, label: '登记银行流水号 Record the bank references' },
      ],
    };
  }
  if (!query.voucher) return null;
  const voucher = await deps.store.vouchers.get(query.voucher);
  if (!voucher || voucher.entityId !== viewer.entityId) return null;
  return voucherConfirmation(voucher, done);
}
