/**
 * The supplier-invoice chase (POLICY 2.1(3), D9).
 *
 * Primary course:
 *  1. After payment the applicant (or finance for them) records the supplier's invoice: type, number,
 *     date, amount and tax, optionally a copy uploaded like evidence.
 *  2. A general VAT taxpayer must have issued a VAT special invoice, unless finance waived it with a
 *     reason (recorded on the voucher and in its history).
 *  3. The invoice, the voucher's move to CLOSED, the audit event and the answer owed to the waiting
 *     workflow (the weekly reminders) are one conditional write; a repeat of the same invoice (every
 *     fact the same) answers with the voucher as it is, any other invoice for a voucher that has one
 *     is a conflict (409).
 *  4. That answer is delivered (lib/workflow/outbox.ts), and the workflow ends.
 */

import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { Person, SupplierInvoice, SupplierInvoiceType, Voucher } from '../domain/model.ts';
import { parseYuan } from '../domain/money.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { assertSupplierInvoice } from '../domain/supplier-invoice.ts';
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
}

/**
 * Records the supplier's invoice and closes the voucher. `storeCopy` (the page's form sends the copy
 * with it) is called only once every check has passed, so a refused form stores no file; its key
 * takes the place of `input.file`.
 */
export async function recordSupplierInvoice(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  input: SupplierInvoiceInput,
  storeCopy?: () => Promise<string>,
): Promise<Voucher> {
  // The copy is stored once, whatever a lost race (the same form sent twice at once) tries again.
  let stored: Promise<string> | undefined;
  const storeOnce = storeCopy && (() => (stored ??= storeCopy()));
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    (voucher) => invoiceRecorded(deps, caller, voucher, input, storeOnce),
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/** Steps 1–3 on the voucher as read: null for the very same invoice again, else the change. */
async function invoiceRecorded(
  deps: AppDeps,
  caller: Person,
  voucher: Voucher,
  input: SupplierInvoiceInput,
  storeCopy: (() => Promise<string>) | undefined,
): Promise<VoucherChange | null> {
  if (voucher.applicant !== caller.email && !hasRole(caller, 'FINANCE_REVIEWER')) {
    throw new ForbiddenError('The applicant records the supplier’s invoice (or finance for them).');
  }
  const policy = await deps.store.settings.currentPolicy(voucher.entityId);
  const amountFen = parseAmountAt('amount', input.amount, policy.amountCeilingFen);
  const taxAmountFen = parseAmountAt('taxAmount', input.taxAmount, policy.amountCeilingFen, true);
  const existing = voucher.supplierInvoice;
  if (existing) {
    // Only the very same invoice again is a harmless repeat (a double click, a retry; the answer to
    // the workflow was written with the invoice); anything else — another number, amount, day — is a
    // second invoice, and the voucher has one already.
    if (sameInvoice(existing, { ...input, amountFen, taxAmountFen })) return null;
    throw new ConflictError(
      'INVOICE_ALREADY_RECORDED',
      `Voucher ${voucher.id} already has invoice ${existing.number} (${existing.type}, issued ${existing.issuedOn}); it is closed. A different invoice is not recorded over it.`,
    );
  }
  if (!allows(voucher.status, 'RECORD_SUPPLIER_INVOICE')) {
    throw new ConflictError(
      'NOT_PAID',
      `Voucher ${voucher.id} is ${voucher.status}; the supplier's invoice is recorded after payment.`,
    );
  }
  const supplier = await deps.store.suppliers.get(voucher.supplierId);
  const now = deps.clock.now();
  assertSupplierInvoice(
    { ...input, amountFen, taxAmountFen },
    {
      today: shanghaiDate(now),
      submittedOn: shanghaiDate(new Date(voucher.submittedAt)),
      generalTaxpayer: supplier?.generalTaxpayer === true,
      waived: voucher.invoiceWaiver !== undefined,
    },
  );
  const file = storeCopy ? await storeCopy() : input.file;
  if (file !== undefined) await checkInvoiceFile(deps, caller, file, policy);
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
  return {
    action: 'RECORD_SUPPLIER_INVOICE',
    actor: { kind: 'PERSON', email: caller.email, roles: caller.roles },
    next: { ...voucher, supplierInvoice: invoice },
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
        // Finance sees at a glance when the invoice is not for what was paid.
        ...(amountFen !== voucher.amountFen ? { differsFromPaidFen: amountFen - voucher.amountFen } : {}),
      },
    },
    // The weekly chase waits for it: recording it ends the workflow.
    answers: [{ wait: { kind: 'SUPPLIER_INVOICE' }, answer: { output: { number: invoice.number } } }],
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

/** An amount typed in yuan (D14), refused with the field it came from. */
function parseAmountAt(path: string, text: string, ceilingFen: number, allowZero = false): number {
  try {
    return parseYuan(text, { ceilingFen, allowZero });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(error.message, { issues: [{ path, message: error.message }], cause: error });
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
    throw new RuleViolationError('INVOICE_FILE_INVALID', `${key} is not an invoice copy you uploaded.`, {
      issues: [{ path: 'file', message: 'upload the invoice copy (PDF, OFD, XML or an image) first' }],
    });
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
        throw new ConflictError('NOT_OPEN', `Voucher ${voucher.id} is ${voucher.status}; nothing to waive.`);
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
