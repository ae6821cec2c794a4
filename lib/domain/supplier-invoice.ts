/**
 * The supplier's invoice after payment (POLICY 2.1(3), D9): its number in one of the formats the tax
 * authority issues, a plausible date and amounts, and a VAT special invoice (增值税专用发票) wherever the
 * supplier is a general VAT taxpayer — unless finance waived that, with a reason.
 */
import { type Issue, RuleViolationError, ValidationError } from './errors.ts';
import type { Fen, LocalDate, SupplierInvoiceType } from './model.ts';
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

export function assertSupplierInvoice(
  invoice: SupplierInvoiceFacts,
  context: {
    today: LocalDate;
    /** The day the voucher was submitted: an invoice for its goods is not much older (a typo guard). */
    submittedOn: LocalDate;
    generalTaxpayer: boolean;
    waived: boolean;
  },
): void {
  const issues: Issue[] = [];
  if (DIGITAL_NUMBER.test(invoice.number)) {
    if (invoice.code !== undefined) {
      issues.push({
        path: 'code',
        message:
          '全电发票（20 位号码）没有单独的发票代码 a fully digital invoice (20-digit number) has no separate code',
      });
    }
  } else if (LEGACY_NUMBER.test(invoice.number)) {
    if (invoice.code === undefined || !LEGACY_CODE.test(invoice.code)) {
      issues.push({
        path: 'code',
        message:
          '8 位发票号码需要 10 或 12 位的发票代码 an 8-digit invoice number needs its 10- or 12-digit invoice code',
      });
    }
  } else {
    issues.push({
      path: 'number',
      message:
        '发票号码是 20 位（全电发票），或 8 位加发票代码 an invoice number is 20 digits (fully digital invoice) or 8 digits with its invoice code',
    });
  }
  if (invoice.issuedOn > context.today) {
    issues.push({
      path: 'issuedOn',
      message: `开票日期 ${invoice.issuedOn} 在将来 the invoice date ${invoice.issuedOn} is in the future`,
    });
  }
  const earliest = addDays(context.submittedOn, -INVOICE_MAX_AGE_DAYS);
  if (invoice.issuedOn < earliest) {
    issues.push({
      path: 'issuedOn',
      message: `开票日期 ${invoice.issuedOn} 比凭单（${context.submittedOn}）早一年以上 the invoice date ${invoice.issuedOn} is more than a year before the voucher (${context.submittedOn})`,
    });
  }
  if (invoice.taxAmountFen >= invoice.amountFen) {
    issues.push({
      path: 'taxAmount',
      message: '税额必须小于发票金额 the tax amount must be less than the invoice amount',
    });
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `发票信息有误 The invoice is not valid: ${issues.map((issue) => issue.message).join('; ')}.`,
      {
        issues,
      },
    );
  }
  // POLICY 2.1(3): a supplier that can issue a special invoice must, so input VAT can be deducted.
  if (invoice.type === 'VAT_ORDINARY' && context.generalTaxpayer && !context.waived) {
    throw new RuleViolationError(
      'SPECIAL_INVOICE_REQUIRED',
      'The supplier is a general VAT taxpayer: ask for a VAT special invoice (增值税专用发票), or ask finance to waive it (POLICY 2.1(3)).',
      {
        issues: [
          {
            path: 'type',
            message: '该供应商须开增值税专用发票 a VAT special invoice is required from this supplier',
          },
        ],
      },
    );
  }
}
