/**
 * Payee checks against supplier master data (POLICY 2.1(2), D8). A mismatch, and any payment to a
 * personal (对私) account, is flagged for finance review — never silently passed, never a refusal.
 */
import type { Payee, Supplier, VoucherFlag } from './model.ts';

/** NFKC folds full-width letters, digits and brackets (（）→ ()); inner whitespace collapses. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function normaliseAccount(account: string): string {
  return account.normalize('NFKC').replace(/[\s-]/g, '');
}

/** Shows only the last four digits: `**** **** 5678`. */
export function maskAccount(account: string): string {
  const digits = normaliseAccount(account);
  return `**** **** ${digits.slice(-4)}`;
}

export function payeeFlags(
  payee: Payee,
  supplier: Pick<Supplier, 'name' | 'bankAccount' | 'bankName' | 'accountType'>,
): VoucherFlag[] {
  const flags: VoucherFlag[] = [];
  const differences: string[] = [];
  if (normaliseText(payee.name) !== normaliseText(supplier.name)) differences.push('payee name');
  if (normaliseAccount(payee.account) !== normaliseAccount(supplier.bankAccount)) {
    differences.push(
      `account (${maskAccount(payee.account)} vs master data ${maskAccount(supplier.bankAccount)})`,
    );
  }
  if (normaliseText(payee.bank) !== normaliseText(supplier.bankName)) differences.push('bank');
  if (differences.length > 0) {
    flags.push({
      code: 'BANK_DETAILS_MISMATCH',
      message: `Differs from the supplier master data: ${differences.join(', ')}. Finance must confirm (POLICY D8).`,
    });
  }
  if (supplier.accountType === 'PERSONAL') {
    flags.push({
      code: 'PERSONAL_ACCOUNT',
      message: 'Payment to a personal (对私) account; finance must confirm (POLICY D8).',
    });
  }
  return flags;
}
