/**
 * Who sees which digits of a bank account — the one rule every view applies (POLICY 2.1(2), D8):
 * the supplier's master data, a voucher's payee (API, pages, the pages behind approval links), the
 * payment run, the bank batch file, emails and audit events.
 *
 * - Finance review (FINANCE_REVIEWER) and the cashier (CASHIER) see the full account on every screen
 *   and in the bank batch file: they check it against the master data and pay it.
 * - Everyone else sees the last four digits only (`**** **** 5678`) — the applicant of a voucher too,
 *   once it is submitted, and an approver who is not finance (head of merchandising, CEO).
 * - What is mailed, and what is stored for many to read later (audit events, flag messages), carries
 *   the masked form for everyone: a mailbox is forwarded, archived and scanned outside fundflow, and
 *   finance's email links to the page that shows the full account to finance.
 */
import { ValidationError } from './errors.ts';
import type { Role } from './model.ts';

/** Where an account is shown. */
export const ACCOUNT_CONTEXTS = [
  /** The supplier master data (API). */
  'supplier',
  /** A voucher's payee: the API, the voucher pages and the pages behind approval links. */
  'voucher',
  /** The cashier's day: the run's API and page. */
  'payment-run',
  /** The file uploaded to the bank (only finance and the cashier may export it). */
  'bank-batch',
  /** Any email. */
  'email',
  /** Audit event details and flag messages, stored and shown in history. */
  'audit',
] as const;
export type AccountContext = (typeof ACCOUNT_CONTEXTS)[number];

export type AccountExposure = 'full' | 'masked';

/** The roles whose work needs the full account. */
const FULL_ACCOUNT_ROLES: readonly Role[] = ['FINANCE_REVIEWER', 'CASHIER'];
const SCREENS_AND_FILES: ReadonlySet<AccountContext> = new Set([
  'supplier',
  'voucher',
  'payment-run',
  'bank-batch',
]);

/** Who sees what: a viewer (by their directory roles; `null` for nobody in particular) in a context. */
export function accountExposure(
  viewer: { roles: readonly Role[] } | null,
  context: AccountContext,
): AccountExposure {
  if (!SCREENS_AND_FILES.has(context) || viewer === null) return 'masked';
  return viewer.roles.some((role) => FULL_ACCOUNT_ROLES.includes(role)) ? 'full' : 'masked';
}

/** The account as this viewer may see it in this context. */
export function accountFor(
  viewer: { roles: readonly Role[] } | null,
  context: AccountContext,
  account: string,
): string {
  return accountExposure(viewer, context) === 'full' ? account : maskAccount(account);
}

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
