/**
 * The supplier's invoice after payment (POLICY 2.1(3), D9): its number in one of the formats the tax
 * authority issues, a plausible date and amounts, a VAT special invoice (增值税专用发票) wherever the
 * supplier is a general VAT taxpayer — unless finance waived that, with a reason — and, for an invoice
 * whose amount is not the amount paid, the applicant's confirmation that it is right (a warning, not a
 * refusal: a supplier may invoice a payment in parts). Every problem is found at once.
 */
import { type AppError, type Issue, RuleViolationError, ValidationError } from './errors.ts';
import type { Fen, LocalDate, SupplierInvoiceType } from './model.ts';
import { formatFen } from './money.ts';
import { addDays } from './time.ts';

/** POLICY D9: the applicant is reminded weekly, in calendar days. */
export const INVOICE_REMINDER_DAYS = 7;

/** An invoice dated over a year before its voucher is a typing error (a year 2016 for 2026), not a fact. */
const INVOICE_MAX_AGE_DAYS = 366;

/** Fully digital invoices (全电发票, since 2021): one 20-digit number, no separate code. */
const DIGITAL_NUMBER = /^\d{20}$/;
/** The older paper and electronic VAT invoices: an 8-digit number with a 10- or 12-digit code. */
const LEGACY_NUMBER = /^\d{8}$/;
const LEGACY_CODE = /^(?:\d{10}|\d{12})$/;

export interface SupplierInvoiceFacts {
  type: SupplierInvoiceType;
  number: string;
  code?: string | undefined;
  issuedOn: LocalDate;
  amountFen: Fen;
  taxAmountFen: Fen;
}

export interface SupplierInvoiceContext {
  today: LocalDate;
  /** The day the voucher was submitted: an invoice for its goods is not much older (a typo guard). */
  submittedOn: LocalDate;
  generalTaxpayer: boolean;
  waived: boolean;
  /** What was paid (the voucher's amount); absent: the amount is not compared. */
  paidFen?: Fen | undefined;
  /** The applicant confirmed that the invoice is for another amount than was paid. */
  confirmAmountDifference?: boolean | undefined;
}

/** What is wrong with an invoice: its facts' issues, and the two rules that are not about its shape. */
export interface SupplierInvoiceProblems {
  issues: Issue[];
  /** POLICY 2.1(3): a general VAT taxpayer issues a special invoice (unless finance waived it). */
  specialInvoiceRequired: Issue | null;
  /** D9: an invoice for another amount than was paid, not (yet) confirmed by the applicant. */
  amountDiffers: Issue | null;
}

const yuan = (fen: Fen) => `¥${formatFen(fen)}`;

/**
 * Every problem of an invoice at once. A fact that is missing (the form's field did not parse; its own
 * issue says so) is not judged further, and neither is a rule that needs it.
 */
export function supplierInvoiceProblems(
  invoice: Partial<SupplierInvoiceFacts>,
  context: SupplierInvoiceContext,
): SupplierInvoiceProblems {
  const issues: Issue[] = [];
  const { number } = invoice;
  if (number !== undefined) {
    if (DIGITAL_NUMBER.test(number)) {
      if (invoice.code !== undefined) {
        issues.push({
          path: 'code',
          message:
            '全电发票（20 位号码）没有单独的发票代码 a fully digital invoice (20-digit number) has no separate code',
        });
      }
    } else if (LEGACY_NUMBER.test(number)) {
      if (invoice.code === undefined || !LEGACY_CODE.test(invoice.code)) {
        issues.push({
          path: 'code',
          message:
            '8 位发票号码需要 10 或 12 位发票代码 an 8-digit invoice number needs its 10- or 12-digit invoice code',
        });
      }
    } else {
      issues.push({
        path: 'number',
        message:
          '发票号码为 20 位（全电发票），或 8 位加发票代码 an invoice number is 20 digits (fully digital invoice) or 8 digits with its invoice code',
      });
    }
  }
  const { issuedOn } = invoice;
  if (issuedOn !== undefined) {
    if (issuedOn > context.today) {
      issues.push({
        path: 'issuedOn',
        message: `开票日期 ${issuedOn} 在将来 the invoice date ${issuedOn} is in the future`,
      });
    }
    const earliest = addDays(context.submittedOn, -INVOICE_MAX_AGE_DAYS);
    if (issuedOn < earliest) {
      issues.push({
        path: 'issuedOn',
        message: `开票日期 ${issuedOn} 比凭单（${context.submittedOn}）早一年以上 the invoice date ${issuedOn} is more than a year before the voucher (${context.submittedOn})`,
      });
    }
  }
  const { amountFen, taxAmountFen } = invoice;
  if (amountFen !== undefined && taxAmountFen !== undefined && taxAmountFen >= amountFen) {
    issues.push({
      path: 'taxAmount',
      message: '税额必须小于价税合计 the tax amount must be less than the invoice amount',
    });
  }
  // POLICY 2.1(3): a supplier that can issue a special invoice must, so input VAT can be deducted.
  const specialInvoiceRequired =
    invoice.type === 'VAT_ORDINARY' && context.generalTaxpayer && !context.waived
      ? {
          path: 'type',
          message:
            '该供应商是一般纳税人，须开具增值税专用发票 a VAT special invoice is required from this supplier',
        }
      : null;
  // D9: finance must see an invoice that is not for what was paid; the applicant says it is right.
  const amountDiffers =
    amountFen !== undefined &&
    context.paidFen !== undefined &&
    amountFen !== context.paidFen &&
    context.confirmAmountDifference !== true
      ? {
          path: 'confirmAmountDifference',
          message: `发票金额 ${yuan(amountFen)} 与已付金额 ${yuan(context.paidFen)} 不同，请核对后确认 the invoice amount ${yuan(amountFen)} differs from the ${yuan(context.paidFen)} paid: check it, then confirm`,
        }
      : null;
  return { issues, specialInvoiceRequired, amountDiffers };
}

/**
 * The one refusal for all of an invoice's problems (and any the edge found: a field that did not
 * parse, a copy that is not an invoice), or null: the facts' issues and the copy's are a 400 naming
 * every field; otherwise the special-invoice rule (422 SPECIAL_INVOICE_REQUIRED), else the unconfirmed
 * difference (422 INVOICE_AMOUNT_DIFFERS) — each also naming what else is wrong.
 */
export function supplierInvoiceRefusal(
  problems: SupplierInvoiceProblems,
  also: { issues?: readonly Issue[]; copy?: AppError | null } = {},
): AppError | null {
  const rules = [problems.specialInvoiceRequired, problems.amountDiffers].filter(
    (issue): issue is Issue => issue !== null,
  );
  const copyIssues = also.copy?.issues ?? [];
  const invalid = [...(also.issues ?? []), ...problems.issues, ...copyIssues];
  if (also.copy && invalid.length === copyIssues.length && rules.length === 0) return also.copy;
  if (invalid.length > 0) {
    const all = [...invalid, ...rules];
    return new ValidationError(
      `发票有 ${all.length} 处需要改正：The invoice has ${all.length} thing(s) to fix:`,
      { issues: all },
    );
  }
  if (problems.specialInvoiceRequired) {
    return new RuleViolationError(
      'SPECIAL_INVOICE_REQUIRED',
      '该供应商是一般纳税人：请索取增值税专用发票，或请财务免除（POLICY 2.1(3)）。The supplier is a general VAT taxpayer: ask for a VAT special invoice (增值税专用发票), or ask finance to waive it (POLICY 2.1(3)).',
      { issues: rules },
    );
  }
  if (problems.amountDiffers) {
    return new RuleViolationError(
      'INVOICE_AMOUNT_DIFFERS',
      `发票金额与已付金额不同，确认无误后才登记。The invoice amount differs from the amount paid; it is recorded once that is confirmed (POLICY D9).`,
      { issues: rules },
    );
  }
  return null;
}

/** Refuses an invoice with every problem it has (supplierInvoiceRefusal), or passes it. */
export function assertSupplierInvoice(invoice: SupplierInvoiceFacts, context: SupplierInvoiceContext): void {
  const refusal = supplierInvoiceRefusal(supplierInvoiceProblems(invoice, context));
  if (refusal) throw refusal;
}
