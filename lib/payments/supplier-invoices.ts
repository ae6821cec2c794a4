/**
 * The supplier-invoice chase (POLICY 2.1(3), D9).
 *
 * Primary course:
 *  1. After payment the applicant (or finance for them) records the supplier's invoice: type, number,
 *     date, amount and tax, optionally a copy uploaded like evidence.
 *  2. A general VAT taxpayer must have issued a VAT special invoice, unless finance waived it with a
 *     reason (recorded on the voucher and in its history).
 *  3. An invoice for another amount than was paid is recorded only once the applicant confirms it
 *     (`confirmAmountDifference`), and then flagged on the voucher for finance
 *     (INVOICE_AMOUNT_DIFFERS). Every problem of the invoice is named at once.
 *  4. The invoice, the voucher's move to CLOSED, the audit event and the answer owed to the waiting
 *     workflow (the weekly reminders) are one conditional write; a repeat of the same invoice (every
 *     fact the same) answers with the voucher as it is, any other invoice for a voucher that has one
 *     is a conflict (409).
 *  5. That answer is delivered (lib/workflow/outbox.ts), and the workflow ends.
 */

import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import {
  type AppError,
  ConflictError,
  ForbiddenError,
  type Issue,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import type { Person, SupplierInvoice, SupplierInvoiceType, Voucher, VoucherFlag } from '../domain/model.ts';
import { formatFen, parseYuan } from '../domain/money.ts';
import type { PolicySettings } from '../domain/policy.ts';
import {
  type SupplierInvoiceFacts,
  supplierInvoiceProblems,
  supplierInvoiceRefusal,
} from '../domain/supplier-invoice.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { allows } from '../domain/voucher-lifecycle.ts';
import { changeVoucher, type VoucherChange } from '../platform/change.ts';
import type { Page } from '../platform/store.ts';
import { assertStoredFile } from '../uploads/stored-files.ts';
import { loadForPayment } from './payments.ts';

export interface SupplierInvoiceInput {
  type: SupplierInvoiceType;
  number: string;
  code?: string | undefined;
  issuedOn: string;
  amount: string;
  taxAmount: string;
  file?: string | undefined;
  /** The applicant confirms the invoice is for another amount than was paid (D9). */
  confirmAmountDifference?: boolean | undefined;
}

/** How the page's form sends a copy with the invoice: checked with everything else, stored only after. */
export interface InvoiceCopy {
  /** The copy's refusal (not an invoice's kind of file, …), or null: it is fine. */
  check(): Promise<AppError | null>;
  /** Stores it; its key takes the place of `input.file`. */
  store(): Promise<string>;
}

/**
 * Records the supplier's invoice and closes the voucher. A copy sent with the form (`copy`) is judged
 * with the invoice's other facts and stored only once every check has passed, so a refused form stores
 * no file.
 */
export async function recordSupplierInvoice(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  input: SupplierInvoiceInput,
  copy?: InvoiceCopy,
): Promise<Voucher> {
  // The copy is stored once, whatever a lost race (the same form sent twice at once) tries again.
  let stored: Promise<string> | undefined;
  const storeOnce = copy && (() => (stored ??= copy.store()));
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    (voucher) => invoiceRecorded(deps, caller, voucher, input, copy, storeOnce),
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/**
 * Every problem of an invoice whose form did not even parse (`issues`: the fields that did not), for
 * the page to name them all at once: the problems of the facts that did parse, and of the copy. Nothing
 * is written; a voucher that takes no invoice now is refused as recordSupplierInvoice refuses it.
 */
export async function supplierInvoiceRefused(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  input: Partial<SupplierInvoiceInput>,
  issues: readonly Issue[],
  copy?: Pick<InvoiceCopy, 'check'>,
): Promise<AppError> {
  const voucher = await loadForPayment(deps, caller, voucherId);
  assertMayRecord(caller, voucher);
  if (voucher.supplierInvoice) throw alreadyRecorded(voucher, voucher.supplierInvoice);
  if (!allows(voucher.status, 'RECORD_SUPPLIER_INVOICE')) throw notPaid(voucher);
  const judged = await judgeInvoice(deps, voucher, input);
  const refusal = supplierInvoiceRefusal(judged.problems, {
    issues: [...issues, ...judged.amountIssues],
    copy: copy ? await copy.check() : null,
  });
  return refusal ?? new ValidationError('发票未登记。The invoice was not recorded.', { issues: [...issues] });
}

function assertMayRecord(caller: Person, voucher: Voucher): void {
  if (voucher.applicant !== caller.email && !hasRole(caller, 'FINANCE_REVIEWER')) {
    throw new ForbiddenError(
      '供应商发票由申请人（或财务代为）登记。The applicant records the supplier’s invoice (or finance for them).',
    );
  }
}

const alreadyRecorded = (voucher: Voucher, existing: SupplierInvoice) =>
  new ConflictError(
    'INVOICE_ALREADY_RECORDED',
    `凭单已登记发票 ${existing.number}，已关闭；不会用另一张发票覆盖。Voucher ${voucher.id} already has invoice ${existing.number} (${existing.type}, issued ${existing.issuedOn}); it is closed. A different invoice is not recorded over it.`,
  );

const notPaid = (voucher: Voucher) =>
  new ConflictError(
    'NOT_PAID',
    `付款后才能登记供应商发票。Voucher ${voucher.id} is ${voucher.status}; the supplier's invoice is recorded after payment.`,
  );

/** The invoice's amounts in fen (those that parse), and what is wrong with its facts. */
async function judgeInvoice(deps: AppDeps, voucher: Voucher, input: Partial<SupplierInvoiceInput>) {
  const policy = await deps.store.settings.currentPolicy(voucher.entityId, deps.clock.now());
  const amountIssues: Issue[] = [];
  const amountFen = parseAmountAt('amount', input.amount, policy.amountCeilingFen, amountIssues);
  const taxAmountFen = parseAmountAt(
    'taxAmount',
    input.taxAmount,
    policy.amountCeilingFen,
    amountIssues,
    true,
  );
  const supplier = await deps.store.suppliers.get(voucher.supplierId);
  const now = deps.clock.now();
  const facts: Partial<SupplierInvoiceFacts> = {
    ...(input.type !== undefined ? { type: input.type } : {}),
    ...(input.number !== undefined ? { number: input.number } : {}),
    ...(input.code !== undefined ? { code: input.code } : {}),
    ...(input.issuedOn !== undefined ? { issuedOn: input.issuedOn } : {}),
    ...(amountFen !== undefined ? { amountFen } : {}),
    ...(taxAmountFen !== undefined ? { taxAmountFen } : {}),
  };
  const problems = supplierInvoiceProblems(facts, {
    today: shanghaiDate(now),
    submittedOn: shanghaiDate(new Date(voucher.submittedAt)),
    generalTaxpayer: supplier?.generalTaxpayer === true,
    waived: voucher.invoiceWaiver !== undefined,
    paidFen: voucher.amountFen,
    confirmAmountDifference: input.confirmAmountDifference === true,
  });
  return { policy, amountFen, taxAmountFen, amountIssues, problems };
}

/** Steps 1–4 on the voucher as read: null for the very same invoice again, else the change. */
async function invoiceRecorded(
  deps: AppDeps,
  caller: Person,
  voucher: Voucher,
  input: SupplierInvoiceInput,
  copy: InvoiceCopy | undefined,
  storeCopy: (() => Promise<string>) | undefined,
): Promise<VoucherChange | null> {
  assertMayRecord(caller, voucher);
  const existing = voucher.supplierInvoice;
  if (existing) {
    // Only the very same invoice again is a harmless repeat (a double click, a retry; the answer to
    // the workflow was written with the invoice); anything else — another number, amount, day — is a
    // second invoice, and the voucher has one already.
    const policy = await deps.store.settings.currentPolicy(voucher.entityId, deps.clock.now());
    const amountFen = parseAmountAt('amount', input.amount, policy.amountCeilingFen, []);
    const taxAmountFen = parseAmountAt('taxAmount', input.taxAmount, policy.amountCeilingFen, [], true);
    if (
      amountFen !== undefined &&
      taxAmountFen !== undefined &&
      sameInvoice(existing, { ...input, amountFen, taxAmountFen })
    ) {
      return null;
    }
    throw alreadyRecorded(voucher, existing);
  }
  if (!allows(voucher.status, 'RECORD_SUPPLIER_INVOICE')) throw notPaid(voucher);
  const { policy, amountFen, taxAmountFen, amountIssues, problems } = await judgeInvoice(
    deps,
    voucher,
    input,
  );
  const refusal = supplierInvoiceRefusal(problems, {
    issues: amountIssues,
    copy: copy ? await copy.check() : null,
  });
  if (refusal) throw refusal;
  if (amountFen === undefined || taxAmountFen === undefined) throw new Error('amounts parsed without issues');
  const file = storeCopy ? await storeCopy() : input.file;
  if (file !== undefined) await checkInvoiceFile(deps, caller, file, policy);
  const now = deps.clock.now();
  const at = toShanghaiIso(now);
  const invoice: SupplierInvoice = {
    type: input.type,
    number: input.number,
    ...(input.code ? { code: input.code } : {}),
    issuedOn: input.issuedOn,
    amountFen,
    taxAmountFen,
    ...(file ? { file } : {}),
    recordedBy: caller.email,
    recordedAt: at,
  };
  const differs = amountFen !== voucher.amountFen;
  return {
    action: 'RECORD_SUPPLIER_INVOICE',
    actor: { kind: 'PERSON', email: caller.email, roles: caller.roles },
    next: {
      ...voucher,
      supplierInvoice: invoice,
      // D9: finance sees, on the voucher and in its lists, an invoice that is not for what was paid.
      ...(differs ? { flags: [...voucher.flags, amountDiffersFlag(voucher, amountFen, caller)] } : {}),
    },
    event: {
      at,
      actor: caller.email,
      type: 'SUPPLIER_INVOICE_RECORDED',
      version: voucher.version,
      details: {
        type: invoice.type,
        number: invoice.number,
        issuedOn: invoice.issuedOn,
        amountFen,
        taxAmountFen,
        // Finance sees at a glance when the invoice is not for what was paid, and who confirmed it.
        ...(differs
          ? { differsFromPaidFen: amountFen - voucher.amountFen, amountDifferenceConfirmedBy: caller.email }
          : {}),
      },
    },
    // The weekly chase waits for it: recording it ends the workflow.
    answers: [{ wait: { kind: 'SUPPLIER_INVOICE' }, answer: { output: { number: invoice.number } } }],
  };
}

/** The flag finance reads: how much the invoice differs from the payment, and who confirmed it. */
export function amountDiffersFlag(voucher: Voucher, invoicedFen: number, caller: Person): VoucherFlag {
  const difference = invoicedFen - voucher.amountFen;
  const by = `¥${formatFen(Math.abs(difference))}`;
  const invoiced = `¥${formatFen(invoicedFen)}`;
  const paid = `¥${formatFen(voucher.amountFen)}`;
  return {
    code: 'INVOICE_AMOUNT_DIFFERS',
    message: `发票金额 ${invoiced}，已付 ${paid}（${difference < 0 ? '少' : '多'} ${by}），${caller.email} 确认无误。The invoice is for ${invoiced}, ${paid} was paid (${by} ${difference < 0 ? 'less' : 'more'}); ${caller.email} confirmed it (POLICY D9).`,
  };
}

/**
 * The recorded invoice, sent again: every fact it was recorded with is the same (its copy too, when
 * one is cited — the page's form stores a copy only after this check, so it cites none here).
 */
function sameInvoice(
  recorded: SupplierInvoice,
  sent: Omit<SupplierInvoiceInput, 'amount' | 'taxAmount'> & { amountFen: number; taxAmountFen: number },
): boolean {
  return (
    recorded.type === sent.type &&
    recorded.number === sent.number &&
    (recorded.code ?? undefined) === (sent.code || undefined) &&
    recorded.issuedOn === sent.issuedOn &&
    recorded.amountFen === sent.amountFen &&
    recorded.taxAmountFen === sent.taxAmountFen &&
    (sent.file === undefined || sent.file === recorded.file)
  );
}

/** An amount typed in yuan (D14); a refusal is an issue at the field it came from (`issues`). */
function parseAmountAt(
  path: string,
  text: string | undefined,
  ceilingFen: number,
  issues: Issue[],
  allowZero = false,
): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseYuan(text, { ceilingFen, allowZero });
  } catch (error) {
    if (error instanceof ValidationError) {
      issues.push({ path, message: error.message });
      return undefined;
    }
    throw error;
  }
}

/**
 * The copy cited is a file the caller uploaded, stored, and by its bytes a kind an invoice comes as
 * (PDF, OFD, the XML of a fully digital invoice, an image), the kind it was declared as.
 */
async function checkInvoiceFile(
  deps: AppDeps,
  caller: Person,
  key: string,
  policy: PolicySettings,
): Promise<void> {
  const upload = await deps.store.uploads.get(key);
  if (upload === null || upload.owner !== caller.email || (await deps.evidence.head(key)) === null) {
    throw new RuleViolationError(
      'INVOICE_FILE_INVALID',
      `${key} 不是你上传的发票文件。${key} is not an invoice copy you uploaded.`,
      {
        issues: [
          {
            path: 'file',
            message:
              '请先上传发票文件（PDF、OFD、XML 或图片） upload the invoice copy (PDF, OFD, XML or an image) first',
          },
        ],
      },
    );
  }
  await assertStoredFile(deps, policy, 'supplier-invoice', {
    key,
    path: 'file',
    fileName: upload.fileName,
    declared: upload.contentType,
  });
}

/** POLICY 2.1(3): finance may accept an ordinary invoice from a general taxpayer, with a reason. */
export async function waiveSpecialInvoice(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  reason: string,
): Promise<Voucher> {
  requireRole(caller, 'FINANCE_REVIEWER');
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    (voucher): VoucherChange | null => {
      if (voucher.invoiceWaiver) return null; // a repeat
      if (!allows(voucher.status, 'WAIVE_SPECIAL_INVOICE')) {
        throw new ConflictError(
          'NOT_OPEN',
          `凭单已关闭或未付款，无需免专票。Voucher ${voucher.id} is ${voucher.status}; nothing to waive.`,
        );
      }
      const at = toShanghaiIso(deps.clock.now());
      return {
        action: 'WAIVE_SPECIAL_INVOICE',
        actor: { kind: 'PERSON', email: caller.email, roles: caller.roles },
        next: { ...voucher, invoiceWaiver: { by: caller.email, at, reason } },
        event: {
          at,
          actor: caller.email,
          type: 'SPECIAL_INVOICE_WAIVED',
          version: voucher.version,
          details: { reason },
        },
      };
    },
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/** POLICY D9: every payment still missing its supplier's invoice, oldest payment first (finance). */
export async function paymentsMissingInvoice(
  deps: AppDeps,
  caller: Person,
  options: { limit: number; cursor?: string | undefined },
): Promise<Page<Voucher>> {
  requireRole(caller, 'FINANCE_REVIEWER', 'CASHIER', 'ADMIN');
  return deps.store.vouchers.awaitingInvoice(caller.entityId, {
    limit: options.limit,
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
}
