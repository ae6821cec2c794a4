/**
 * The access rules (lib/domain/access.ts) as tables written out by hand: who may read which voucher,
 * who may open which file, who sees which digits of an account.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CONTEXTS,
  type AccountContext,
  type AccountExposure,
  accountExposure,
  accountFor,
  mayAdminister,
  mayListEveryonesVouchers,
  mayOpenFile,
  mayReadVoucher,
  maySeeEveryonesCountersigns,
  relationshipTo,
  type VoucherRelationship,
} from '../../lib/domain/access.ts';
import { type Person, ROLES, type Role, type Voucher } from '../../lib/domain/model.ts';

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

const ENTITY = 'LS';
const person = (email: string, roles: Role[], entityId = ENTITY): Person => ({
  email,
  name: email,
  entityId,
  roles,
});
const voucher: Pick<Voucher, 'entityId' | 'applicant' | 'route'> = {
  entityId: ENTITY,
  applicant: 'applicant@x',
  route: {
    requiresCeo: false,
    ceoReason: null,
    judgedAmountFen: 100,
    thresholdFen: 50_000_000,
    steps: [
      { step: 'HEAD_OF_MERCHANDISING', role: 'HEAD_OF_MERCHANDISING', assignee: 'head@x' },
      { step: 'FINANCE_REVIEW', role: 'FINANCE_REVIEWER', assignee: 'finance@x' },
      { step: 'PAYMENT', role: 'CASHIER', assignee: 'cashier@x' },
    ],
  },
};

type Allowed = 'allowed' | 'denied';
const A: Allowed = 'allowed';
const D: Allowed = 'denied';

/** A person who is neither the applicant nor on the route, by role: may they read the voucher? */
const UNRELATED: Record<Role, Allowed> = {
  MERCHANDISER: D,
  HEAD_OF_MERCHANDISING: A,
  CEO: A,
  FINANCE_REVIEWER: A,
  CASHIER: A,
  CUSTOMER_SERVICE: D,
  FINANCE_INVOICING: D,
  TECH: D,
  ADMIN: A,
};

describe('who may read a voucher', () => {
  it.each(ROLES.map((role) => ({ role, expected: UNRELATED[role] })))(
    'is $expected for a $role of its entity who is neither its applicant nor on its route',
    ({ role, expected }) => {
      const viewer = person('someone@x', [role]);

      expect(mayReadVoucher(viewer, voucher)).toBe(expected === 'allowed');
      expect(mayListEveryonesVouchers(viewer)).toBe(expected === 'allowed');
    },
  );

  const relationships: [string, Person, VoucherRelationship, Allowed][] = [
    ['its applicant', person('applicant@x', ['MERCHANDISER']), 'applicant', A],
    ['the head of merchandising on its route', person('head@x', ['HEAD_OF_MERCHANDISING']), 'on-route', A],
    ['a merchandiser deputy on its route', person('head@x', ['MERCHANDISER']), 'on-route', A],
    ['the cashier on its route', person('cashier@x', ['CASHIER']), 'on-route', A],
    ['an administrator of its entity', person('admin@x', ['ADMIN']), 'oversight', A],
    ['another merchandiser of its entity', person('other@x', ['MERCHANDISER']), 'none', D],
    ['finance of another entity', person('finance@x', ['FINANCE_REVIEWER'], 'OTHER'), 'other-entity', D],
    ['an administrator of another entity', person('admin@x', ['ADMIN'], 'OTHER'), 'other-entity', D],
  ];

  it.each(relationships)('is %s → %s: %s', (_, viewer, relationship, expected) => {
    expect(relationshipTo(viewer, voucher)).toBe(relationship);
    expect(mayReadVoucher(viewer, voucher)).toBe(expected === 'allowed');
  });
});

/** Whose outstanding countersigns a role lists (POLICY D6): everyone's, or only their own. */
const COUNTERSIGNS: Record<Role, 'everyone' | 'own'> = {
  MERCHANDISER: 'own',
  HEAD_OF_MERCHANDISING: 'own',
  CEO: 'everyone',
  FINANCE_REVIEWER: 'everyone',
  CASHIER: 'own',
  CUSTOMER_SERVICE: 'own',
  FINANCE_INVOICING: 'own',
  TECH: 'own',
  ADMIN: 'everyone',
};

describe('whose outstanding countersigns are listed', () => {
  it.each(ROLES.map((role) => ({ role, expected: COUNTERSIGNS[role] })))(
    'lists a $role $expected',
    ({ role, expected }) => {
      expect(maySeeEveryonesCountersigns(person('someone@x', [role]))).toBe(expected === 'everyone');
    },
  );
});

/** Who keeps the directory and the entities and reads the audit trail (issue 14), by hand. */
const ADMINISTERS: Record<Role, boolean> = {
  MERCHANDISER: false,
  HEAD_OF_MERCHANDISING: false,
  CEO: false,
  FINANCE_REVIEWER: false,
  CASHIER: false,
  CUSTOMER_SERVICE: false,
  FINANCE_INVOICING: false,
  TECH: false,
  ADMIN: true,
};

describe('who administers people, entities and the audit trail', () => {
  it.each(ROLES.map((role) => ({ role, expected: ADMINISTERS[role] })))(
    'lets a $role administer: $expected',
    ({ role, expected }) => {
      expect(mayAdminister(person('someone@x', [role]))).toBe(expected);
    },
  );
});

describe('who may open a stored file on the signed-in pages', () => {
  const uploader = person('applicant@x', ['MERCHANDISER']);
  const cases: [string, Person, Person | null, Allowed][] = [
    ['its uploader', uploader, uploader, A],
    ['finance of the uploader’s entity', person('finance@x', ['FINANCE_REVIEWER']), uploader, A],
    ['the cashier of the uploader’s entity', person('cashier@x', ['CASHIER']), uploader, A],
    ['the CEO of the uploader’s entity', person('ceo@x', ['CEO']), uploader, A],
    ['another merchandiser of the entity', person('other@x', ['MERCHANDISER']), uploader, D],
    ['customer service of the entity', person('cs@x', ['CUSTOMER_SERVICE']), uploader, D],
    ['finance of another entity', person('finance@y', ['FINANCE_REVIEWER'], 'OTHER'), uploader, D],
    ['anyone, once the uploader left the directory', person('finance@x', ['FINANCE_REVIEWER']), null, D],
  ];

  it.each(cases)('is %s: %s', (_, viewer, owner, expected) => {
    expect(mayOpenFile(viewer, { owner })).toBe(expected === 'allowed');
  });
});
