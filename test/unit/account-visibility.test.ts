import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CONTEXTS,
  type AccountContext,
  type AccountExposure,
  accountExposure,
  accountFor,
  editedAccount,
} from '../../lib/domain/account-visibility.ts';
import { ROLES, type Role } from '../../lib/domain/model.ts';

const F: AccountExposure = 'full';
const M: AccountExposure = 'masked';

/** Who sees which digits, written out by hand: role × context → full or masked. */
const TABLE: Record<Role, Record<AccountContext, AccountExposure>> = {
  //                   supplier  voucher  payment-run  bank-batch  email  audit
  MERCHANDISER: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  HEAD_OF_MERCHANDISING: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  CEO: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  FINANCE_REVIEWER: { supplier: F, voucher: F, 'payment-run': F, 'bank-batch': F, email: M, audit: M },
  CASHIER: { supplier: F, voucher: F, 'payment-run': F, 'bank-batch': F, email: M, audit: M },
  CUSTOMER_SERVICE: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  FINANCE_INVOICING: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  TECH: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
  ADMIN: { supplier: M, voucher: M, 'payment-run': M, 'bank-batch': M, email: M, audit: M },
};

const ACCOUNT = '3301 0400 0001 2345 678';

describe('who sees which digits of a bank account', () => {
  const cases = ROLES.flatMap((role) =>
    ACCOUNT_CONTEXTS.map((context) => ({ role, context, expected: TABLE[role][context] })),
  );

  it.each(cases)(
    'shows $role the account $expected in the $context context',
    ({ role, context, expected }) => {
      expect(accountExposure({ roles: [role] }, context)).toBe(expected);
      expect(accountFor({ roles: [role] }, context, ACCOUNT)).toBe(
        expected === 'full' ? ACCOUNT : '**** **** 5678',
      );
    },
  );

  it('shows the full account to a merchandiser who is also finance, on screens only', () => {
    const both = { roles: ['MERCHANDISER', 'FINANCE_REVIEWER'] as Role[] };

    expect(accountExposure(both, 'voucher')).toBe('full');
    expect(accountExposure(both, 'email')).toBe('masked');
  });

  it('masks the account for nobody in particular and for a person with no roles', () => {
    for (const context of ACCOUNT_CONTEXTS) {
      expect(accountExposure(null, context)).toBe('masked');
      expect(accountExposure({ roles: [] }, context)).toBe('masked');
    }
  });

  it('never shows more than the last four digits of any account it masks', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{5,30}$/),
        fc.constantFrom(...ACCOUNT_CONTEXTS),
        (digits, context) => {
          const shown = accountFor({ roles: ['CEO'] }, context, digits);

          expect(shown).toBe(`**** **** ${digits.slice(-4)}`);
        },
      ),
    );
  });
});

describe('the account of an edited voucher (POLICY D19)', () => {
  it('keeps the stored account when none is sent', () => {
    expect(editedAccount(undefined, ACCOUNT)).toBe(ACCOUNT);
  });

  it('keeps the stored account when its masked form is sent back, however it is spaced', () => {
    expect(editedAccount('**** **** 5678', ACCOUNT)).toBe(ACCOUNT);
    expect(editedAccount('********5678', ACCOUNT)).toBe(ACCOUNT);
  });

  it('takes a newly typed account as the new account', () => {
    expect(editedAccount('6222 0000 1111 2222', ACCOUNT)).toBe('6222 0000 1111 2222');
  });

  it('refuses a masked form that is not the stored account’s, at payee.account', () => {
    expect(() => editedAccount('**** **** 9999', ACCOUNT)).toThrow(
      expect.objectContaining({
        statusCode: 400,
        issues: [expect.objectContaining({ path: 'payee.account' })],
      }),
    );
  });
});
