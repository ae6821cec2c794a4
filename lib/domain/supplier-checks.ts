/**
 * Payee checks against supplier master data (POLICY 2.1(2), D8). A mismatch, and any payment to a
 * personal (对私) account, is flagged for finance review — never silently passed, never a refusal.
 */
import { compactAccount, maskAccount } from './accounts.ts';
import type { Payee, Supplier, VoucherFlag } from './model.ts';

/**
 * NFKC folds full-width letters, digits and brackets (（）→ ()); surrounding whitespace goes and inner
 * whitespace collapses to one space. Latin letters compare without case ("Ltd" = "LTD").
 */
function normaliseText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Account numbers are compared without spaces and hyphens (of any width or kind). */
const normaliseAccount = compactAccount;

/** Kept here too for the callers that know it from here; the rule of who sees it lives in access.ts. */
export { maskAccount };

export function payeeFlags(
  payee: Payee,
  supplier: Pick<Supplier, 'name' | 'bankAccount' | 'bankName' | 'accountType'>,
): VoucherFlag[] {
  const flags: VoucherFlag[] = [];
  const differences: string[] = [];
  if (normaliseText(payee.name) !== normaliseText(supplier.name)) {
    differences.push(
      `收款人名称 payee name "${payee.name.trim()}"（档案 master data: "${supplier.name.trim()}"）`,
    );
  }
  const account = normaliseAccount(payee.account);
  const masterAccount = normaliseAccount(supplier.bankAccount);
  if (account !== masterAccount) {
    // Never the full number in a message (stored, shown to all, logged): the last four digits at most.
    const sameEnding = account.length > 4 && account.slice(-4) === masterAccount.slice(-4);
    differences.push(
      sameEnding
        ? `账号 account ${maskAccount(payee.account)}（与档案后四位相同但前面不同 master data ends in the same four digits but differs before them）`
        : `账号 account ${maskAccount(payee.account)}（档案 master data: ${maskAccount(supplier.bankAccount)}）`,
    );
  }
  if (normaliseText(payee.bank) !== normaliseText(supplier.bankName)) {
    differences.push(`开户行 bank "${payee.bank.trim()}"（档案 master data: "${supplier.bankName.trim()}"）`);
  }
  // POLICY D8: changed bank details are the most common payment fraud; finance must see them.
  if (differences.length > 0) {
    flags.push({
      code: 'BANK_DETAILS_MISMATCH',
      message: `收款信息与供应商档案不符，付款前须财务确认。The payee differs from the supplier master data: ${differences.join('; ')}. Finance must confirm before payment (POLICY D8).`,
    });
  }
  // POLICY D8: every payment to a personal (对私) account is reviewed.
  if (supplier.accountType === 'PERSONAL') {
    flags.push({
      code: 'PERSONAL_ACCOUNT',
      message:
        '付款到供应商的个人（对私）账户，付款前须财务确认。The supplier is paid into a personal (对私) account; finance must confirm before payment (POLICY D8).',
    });
  }
  return flags;
}
