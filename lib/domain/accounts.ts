/**
 * The forms of a bank account number: compact (for comparing), masked (the last four digits), and the
 * account an edited voucher keeps. Who sees which form is lib/domain/access.ts (POLICY 2.1(2), D8).
 */
import { ValidationError } from './errors.ts';

/** Digits only: accounts compare without spaces and hyphens (of any width or kind). */
export function compactAccount(account: string): string {
  return account.normalize('NFKC').replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

/** Shows only the last four characters: `**** **** 5678`; an account of four or fewer shows none. */
export function maskAccount(account: string): string {
  const compact = compactAccount(account);
  return compact.length > 4 ? `**** **** ${compact.slice(-4)}` : '****';
}

/**
 * The account of an edited voucher (POLICY D19): the applicant saw the stored account masked, so the
 * masked form sent back — or no account at all — keeps the stored one; anything else typed is a new
 * account (checked against the master data like any other, D8). A masked form that is not the stored
 * account's cannot be meant as either, and is refused.
 */
export function editedAccount(typed: string | undefined, stored: string): string {
  if (typed === undefined) return stored;
  if (!typed.includes('*')) return typed;
  if (compactAccount(typed) === compactAccount(maskAccount(stored))) return stored;
  const shown = maskAccount(stored);
  const message = `请输入完整账号，或原样保留 ${shown} 以沿用已存账号。Type the full account number, or leave ${shown} as shown to keep the stored account.`;
  throw new ValidationError(message, { issues: [{ path: 'payee.account', message }] });
}
