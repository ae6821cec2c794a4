/**
 * Who may see what — the one module of access rules, pure (no I/O: the caller brings the voucher, the
 * file's owner, the viewer from the directory). Roles come from the directory, never from a token
 * alone (DESIGN.md decision 12). test/unit/access.test.ts writes the whole table out by hand.
 *
 * - **Roles**: `hasRole`, and `requireRole` (a 403 unless the caller holds one of them).
 * - **Vouchers**: who may read one at all (`mayReadVoucher`), who may list everyone's by status, who
 *   sees everyone's outstanding countersigns (POLICY D6).
 * - **Administration**: who keeps the directory, the entities and reads the audit trail
 *   (`ADMINISTRATION_ROLES`, `mayAdminister`).
 * - **Files**: who may open a stored upload through the signed-in pages (`mayOpenFile`). The pages
 *   behind an approval link show the voucher's files to the link's holder: the signed link is that
 *   credential (lib/approvals), no session involved.
 * - **Account digits** (POLICY 2.1(2), D8): `accountExposure` / `accountFor` — the full account to
 *   finance review and the cashier on screens and in the bank file, the last four digits to everyone
 *   else, and to everyone in what is mailed or stored for many to read later (emails, audit events,
 *   flag messages): a mailbox is forwarded, archived and scanned outside fundflow, and finance's email
 *   links to the page that shows finance the full account.
 */
import { maskAccount } from './accounts.ts';
import { MissingRoleError } from './errors.ts';
import type { Person, Role, Voucher } from './model.ts';

export function hasRole(person: { roles: readonly Role[] }, ...roles: Role[]): boolean {
  return person.roles.some((role) => roles.includes(role));
}

/** Refuses unless the caller holds one of the roles (roles come from the directory). */
export function requireRole(person: Person, ...roles: Role[]): void {
  if (!hasRole(person, ...roles)) {
    throw new MissingRoleError(roles);
  }
}

/**
 * POLICY 3.1, D10: the daily export is handed to merchandising and finance — they receive it, and
 * they (of its own entity only, D17) may read and download it.
 */
export const DAILY_EXPORT_ROLES: readonly Role[] = [
  'MERCHANDISER',
  'HEAD_OF_MERCHANDISING',
  'FINANCE_REVIEWER',
  'FINANCE_INVOICING',
];

/**
 * POLICY 3.2, D11: the weekly reconciliation is merchandising's and finance's — they read it (of their
 * own entity, D17) and either may run it; finance alone resolves its differences and signs it off.
 */
export const RECONCILIATION_ROLES: readonly Role[] = [
  'MERCHANDISER',
  'HEAD_OF_MERCHANDISING',
  'FINANCE_REVIEWER',
];
export const RECONCILIATION_SIGN_OFF_ROLES: readonly Role[] = ['FINANCE_REVIEWER'];

/** The roles that oversee vouchers: they see every voucher (and every file) of their entity. */
export const OVERSIGHT_ROLES: readonly Role[] = [
  'HEAD_OF_MERCHANDISING',
  'CEO',
  'FINANCE_REVIEWER',
  'CASHIER',
  'ADMIN',
];

/** How a viewer stands to a voucher (what the table in the test is written in). */
export type VoucherRelationship = 'other-entity' | 'applicant' | 'on-route' | 'oversight' | 'none';

export function relationshipTo(
  viewer: Person,
  voucher: Pick<Voucher, 'entityId' | 'applicant' | 'route'>,
): VoucherRelationship {
  if (viewer.entityId !== voucher.entityId) return 'other-entity';
  if (viewer.email === voucher.applicant) return 'applicant';
  if (voucher.route.steps.some((step) => step.assignee === viewer.email)) return 'on-route';
  if (hasRole(viewer, ...OVERSIGHT_ROLES)) return 'oversight';
  return 'none';
}

/**
 * Who may read a voucher at all: its applicant, anyone on its route, and the oversight roles — of its
 * own entity only. Not readable looks like not there (the caller answers 404, confirming no id).
 */
export function mayReadVoucher(viewer: Person, voucher: Pick<Voucher, 'entityId' | 'applicant' | 'route'>) {
  const relationship = relationshipTo(viewer, voucher);
  return relationship !== 'other-entity' && relationship !== 'none';
}

/** Listing vouchers by status (everyone's) is for the oversight roles; anyone may list their own. */
export function mayListEveryonesVouchers(viewer: Person): boolean {
  return hasRole(viewer, ...OVERSIGHT_ROLES);
}

/**
 * The administration (issue 14: people and roles, legal entities, the audit view): the ADMIN role
 * alone — and only over their own entity (the use cases of lib/admin check that, D17).
 */
export const ADMINISTRATION_ROLES: readonly Role[] = ['ADMIN'];

export function mayAdminister(person: { roles: readonly Role[] }): boolean {
  return hasRole(person, ...ADMINISTRATION_ROLES);
}

/** POLICY D6: outstanding countersigns — finance, the CEO and admin see everyone's, an approver their own. */
export function maySeeEveryonesCountersigns(viewer: Person): boolean {
  return hasRole(viewer, 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
}

/**
 * Who may open a stored file through the signed-in pages: its uploader, and the oversight roles of
 * the uploader's entity. `owner` is the uploader as the directory knows them (null: nobody by that
 * email any more, whose files nobody opens).
 */
export function mayOpenFile(viewer: Person, file: { owner: Person | null }): boolean {
  const { owner } = file;
  if (owner === null || owner.entityId !== viewer.entityId) return false;
  return owner.email === viewer.email || hasRole(viewer, ...OVERSIGHT_ROLES);
}

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

/** The roles whose work needs the full account: they check it against the master data and pay it. */
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
  return hasRole(viewer, ...FULL_ACCOUNT_ROLES) ? 'full' : 'masked';
}

/** The account as this viewer may see it in this context. */
export function accountFor(
  viewer: { roles: readonly Role[] } | null,
  context: AccountContext,
  account: string,
): string {
  return accountExposure(viewer, context) === 'full' ? account : maskAccount(account);
}
