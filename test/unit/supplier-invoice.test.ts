import { describe, expect, it } from 'vitest';
import {
  assertSupplierInvoice,
  type SupplierInvoiceFacts,
  supplierInvoiceProblems,
} from '../../lib/domain/supplier-invoice.ts';

const digital: SupplierInvoiceFacts = {
  type: 'VAT_SPECIAL',
  number: '25442000000123456789',
  issuedOn: '2026-11-18',
  amountFen: 113_000_00,
  taxAmountFen: 13_000_00,
};
const context = { today: '2026-11-20', submittedOn: '2026-11-17', generalTaxpayer: true, waived: false };

/** The error a user would see: its code and the fields it names. */
function refusal(invoice: SupplierInvoiceFacts, ctx: Parameters<typeof assertSupplierInvoice>[1] = context) {
  try {
    assertSupplierInvoice(invoice, ctx);
  } catch (error) {
    const { code, issues } = error as { code: string; issues?: { path: string }[] };
    return { code, paths: (issues ?? []).map((issue) => issue.path) };
  }
  return undefined;
}

describe('the supplier invoice (POLICY 2.1(3), D9)', () => {
  it('accepts a fully digital invoice: 20 digits, no code', () => {
    expect(refusal(digital)).toBeUndefined();
  });

  it('accepts the older format: 8-digit number with a 10- or 12-digit code', () => {
    expect(refusal({ ...digital, number: '01234567', code: '4400231130' })).toBeUndefined();
    expect(refusal({ ...digital, number: '01234567', code: '044002300111' })).toBeUndefined();
  });

  it('refuses an 8-digit number without its code, or with a code of the wrong length', () => {
    expect(refusal({ ...digital, number: '01234567' })).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['code'],
    });
    expect(refusal({ ...digital, number: '01234567', code: '44002311' })).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['code'],
    });
  });

  it('refuses a code on a fully digital invoice', () => {
    expect(refusal({ ...digital, code: '4400231130' })?.paths).toEqual(['code']);
  });

  it('refuses numbers of any other shape', () => {
    for (const number of ['2544200000012345678', '254420000001234567890', '0123456A', 'INV-001']) {
      expect(refusal({ ...digital, number })?.paths).toEqual(['number']);
    }
  });

  it('refuses an invoice dated after today, and accepts one dated today', () => {
    expect(refusal({ ...digital, issuedOn: '2026-11-21' })?.paths).toEqual(['issuedOn']);
    expect(refusal({ ...digital, issuedOn: '2026-11-20' })).toBeUndefined();
  });

  it('refuses an invoice dated more than a year before its voucher, and accepts one a year before', () => {
    expect(refusal({ ...digital, issuedOn: '0001-01-01' })).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['issuedOn'],
    });
    expect(refusal({ ...digital, issuedOn: '2025-11-15' })).toMatchObject({ paths: ['issuedOn'] });
    expect(refusal({ ...digital, issuedOn: '2025-11-16' })).toBeUndefined();
  });

  it('refuses a tax amount that is not less than the invoice amount', () => {
    expect(refusal({ ...digital, taxAmountFen: digital.amountFen })?.paths).toEqual(['taxAmount']);
  });

  it('lists every problem at once', () => {
    expect(
      refusal({ ...digital, number: 'x', issuedOn: '2027-01-01', taxAmountFen: 200_000_00 })?.paths,
    ).toEqual(['number', 'issuedOn', 'taxAmount']);
  });

  it('requires a special invoice from a general VAT taxpayer', () => {
    expect(refusal({ ...digital, type: 'VAT_ORDINARY' })).toEqual({
      code: 'SPECIAL_INVOICE_REQUIRED',
      paths: ['type'],
    });
  });

  it('accepts an ordinary invoice from a small-scale taxpayer, or when finance waived the special one', () => {
    expect(
      refusal({ ...digital, type: 'VAT_ORDINARY' }, { ...context, generalTaxpayer: false }),
    ).toBeUndefined();
    expect(refusal({ ...digital, type: 'VAT_ORDINARY' }, { ...context, waived: true })).toBeUndefined();
  });
});

describe('an invoice for another amount than was paid (POLICY D9)', () => {
  const paid = { ...context, paidFen: digital.amountFen };

  it('is a warning the applicant must confirm: refused until confirmed, then accepted', () => {
    const less = { ...digital, amountFen: 100_000_00, taxAmountFen: 11_504_42 };

    expect(refusal(less, paid)).toEqual({
      code: 'INVOICE_AMOUNT_DIFFERS',
      paths: ['confirmAmountDifference'],
    });
    expect(refusal(less, { ...paid, confirmAmountDifference: true })).toBeUndefined();
    expect(refusal(digital, paid)).toBeUndefined();
  });

  it('is named with every other problem at once, the facts’ issues first', () => {
    expect(
      refusal({ ...digital, type: 'VAT_ORDINARY', number: 'x', amountFen: 1_00, taxAmountFen: 1_00 }, paid),
    ).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['number', 'taxAmount', 'type', 'confirmAmountDifference'],
    });
    expect(refusal({ ...digital, type: 'VAT_ORDINARY', amountFen: 100_000_00 }, paid)).toEqual({
      code: 'SPECIAL_INVOICE_REQUIRED',
      paths: ['type', 'confirmAmountDifference'],
    });
  });
});

describe('the invoice as far as it could be read', () => {
  it('judges only the facts that are there', () => {
    const problems = supplierInvoiceProblems({ number: '01234567', taxAmountFen: 5_00 }, context);

    expect(problems.issues.map((issue) => issue.path)).toEqual(['code']);
    expect(problems.specialInvoiceRequired).toBeNull();
    expect(problems.amountDiffers).toBeNull();
  });
});
