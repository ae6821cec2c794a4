import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalRouteFor } from '../../lib/domain/approval-route.ts';
import { RuleViolationError } from '../../lib/domain/errors.ts';
import type { ApprovalStep, Person, Role } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';

const entityId = 'e1';
const person = (email: string, roles: Person['roles'], extra: Partial<Person> = {}): Person => ({
  email,
  name: email,
  entityId,
  roles,
  ...extra,
});
const merchandiser = person('m@x', ['MERCHANDISER']);
const head = person('head@x', ['HEAD_OF_MERCHANDISING', 'MERCHANDISER'], { deputy: 'deputy@x' });
const deputy = person('deputy@x', ['MERCHANDISER']);
const ceo = person('ceo@x', ['CEO']);
const finance = person('fin@x', ['FINANCE_REVIEWER']);
const cashier = person('cash@x', ['CASHIER']);
const people = [merchandiser, head, deputy, ceo, finance, cashier];
const THRESHOLD = DEFAULT_POLICY.ceoThresholdFen;

const route = (amountFen: number, overrides: Partial<Parameters<typeof approvalRouteFor>[0]> = {}) =>
  approvalRouteFor({
    applicant: merchandiser,
    amountFen,
    splitAggregateFen: amountFen,
    people,
    policy: DEFAULT_POLICY,
    ...overrides,
  });
const assignments = (result: ReturnType<typeof route>) =>
  result.steps.map((step) => [step.step, step.assignee]);

describe('the approval route (POLICY 2.2)', () => {
  it('goes head of merchandising → finance review → cashier below 500,000.00 (2.2(1))', () => {
    expect(assignments(route(THRESHOLD - 1))).toEqual([
      ['HEAD_OF_MERCHANDISING', 'head@x'],
      ['FINANCE_REVIEW', 'fin@x'],
      ['PAYMENT', 'cash@x'],
    ]);
  });

  it('adds the CEO after the head of merchandising at exactly 500,000.00 (2.2(2), D1)', () => {
    expect(assignments(route(THRESHOLD))).toEqual([
      ['HEAD_OF_MERCHANDISING', 'head@x'],
      ['CEO', 'ceo@x'],
      ['FINANCE_REVIEW', 'fin@x'],
      ['PAYMENT', 'cash@x'],
    ]);
  });

  it('gives the voucher’s own amount as the reason at exactly 500,000.00 (D1)', () => {
    expect(route(THRESHOLD)).toMatchObject({
      requiresCeo: true,
      ceoReason: 'AMOUNT_AT_OR_ABOVE_THRESHOLD',
      judgedAmountFen: THRESHOLD,
      thresholdFen: THRESHOLD,
    });
  });

  it('does not need the CEO one fen below the threshold', () => {
    expect(route(THRESHOLD - 1)).toMatchObject({ requiresCeo: false, ceoReason: null });
  });

  it('names the split group as the reason when only the aggregate reaches the threshold (D2)', () => {
    expect(route(THRESHOLD / 2, { splitAggregateFen: THRESHOLD })).toMatchObject({
      requiresCeo: true,
      ceoReason: 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD',
      judgedAmountFen: THRESHOLD,
    });
  });

  it('follows a changed threshold of a newer policy version (D17)', () => {
    const policy = { ...DEFAULT_POLICY, version: 2, ceoThresholdFen: 10_000_000 };

    expect(route(10_000_000, { policy }).requiresCeo).toBe(true);
  });

  it('needs the CEO exactly when the larger of amount and split aggregate reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 * THRESHOLD }),
        fc.integer({ min: 0, max: 2 * THRESHOLD }),
        (amount, aggregate) => {
          // Act
          const result = route(amount, { splitAggregateFen: aggregate });

          // Assert
          const judged = Math.max(amount, aggregate);
          expect(result.judgedAmountFen).toBe(judged);
          expect(result.requiresCeo).toBe(judged >= THRESHOLD);
          expect(result.steps.some((step) => step.step === 'CEO')).toBe(judged >= THRESHOLD);
        },
      ),
    );
  });

  it('gives the voucher’s amount as the reason whenever it alone reaches the threshold, else the group', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: THRESHOLD - 1_000, max: THRESHOLD + 1_000 }),
        fc.integer({ min: THRESHOLD - 1_000, max: THRESHOLD + 1_000 }),
        (amount, aggregate) => {
          const expected =
            amount >= THRESHOLD
              ? 'AMOUNT_AT_OR_ABOVE_THRESHOLD'
              : aggregate >= THRESHOLD
                ? 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD'
                : null;

          expect(route(amount, { splitAggregateFen: aggregate }).ceoReason).toBe(expected);
        },
      ),
    );
  });
});

describe('who holds each step (POLICY D18)', () => {
  it('gives a step to the first holder of the role in directory order', () => {
    const secondFinance = person('fin2@x', ['FINANCE_REVIEWER']);

    expect(
      route(1_000, { people: [merchandiser, head, secondFinance, finance, cashier] }).steps[1]?.assignee,
    ).toBe('fin2@x');
  });

  it('gives the head-of-merchandising step to the deputy when the head applies', () => {
    expect(route(1_000, { applicant: head }).steps[0]).toEqual({
      step: 'HEAD_OF_MERCHANDISING',
      role: 'HEAD_OF_MERCHANDISING',
      assignee: 'deputy@x',
      deputyFor: 'head@x',
    });
  });

  it('marks no step as a deputy’s when the head does not apply', () => {
    expect(route(1_000).steps.every((step) => step.deputyFor === undefined)).toBe(true);
  });

  it('refuses when the head applies and has no deputy, saying so', () => {
    const noDeputy = { ...head, deputy: undefined };

    expect(() => route(1_000, { applicant: noDeputy, people: [noDeputy, finance, cashier] })).toThrowError(
      /head-of-merchandising step.*no deputy configured/,
    );
  });

  it('refuses when the head’s deputy is not in the directory of the head’s entity', () => {
    const abroad = { ...deputy, entityId: 'e2' };

    expect(() => route(1_000, { applicant: head, people: [head, abroad, finance, cashier] })).toThrowError(
      /deputy deputy@x is not in the directory of entity e1/,
    );
  });

  it('refuses when the head is configured as their own deputy', () => {
    const selfDeputy = { ...head, deputy: 'head@x' };

    expect(() =>
      route(1_000, { applicant: selfDeputy, people: [selfDeputy, finance, cashier] }),
    ).toThrowError(/own deputy/);
  });

  it('does not let the deputy also take a later step', () => {
    const deputyWhoReviews = person('deputy@x', ['MERCHANDISER', 'FINANCE_REVIEWER']);

    expect(() => route(1_000, { applicant: head, people: [head, deputyWhoReviews, cashier] })).toThrowError(
      /finance review step/,
    );
  });

  it('never lets one person hold two steps', () => {
    const both = person('both@x', ['FINANCE_REVIEWER', 'CASHIER']);

    expect(
      route(1_000, { people: [merchandiser, head, both, cashier] }).steps.map((s) => s.assignee),
    ).toEqual(['head@x', 'both@x', 'cash@x']);
  });

  it('finds a route when the first candidate for an early step is the only one for a later step', () => {
    const headWhoReviews = person('hr@x', ['HEAD_OF_MERCHANDISING', 'FINANCE_REVIEWER']);
    const otherHead = person('head2@x', ['HEAD_OF_MERCHANDISING']);

    expect(
      route(1_000, { people: [merchandiser, headWhoReviews, otherHead, cashier] }).steps.map(
        (s) => s.assignee,
      ),
    ).toEqual(['head2@x', 'hr@x', 'cash@x']);
  });

  it('refuses a route whose only cashier is the applicant, naming the payment step', () => {
    const cashierApplicant = person('cash@x', ['CASHIER', 'MERCHANDISER']);

    expect(() =>
      route(1_000, { applicant: cashierApplicant, people: [cashierApplicant, head, finance] }),
    ).toThrowError(/payment \(cashier\) step.*cashier/);
  });

  it('refuses with the code ROUTE_UNRESOLVABLE', () => {
    expect(() => route(1_000, { people: [merchandiser, head, cashier] })).toThrowError(
      expect.objectContaining({ code: 'ROUTE_UNRESOLVABLE' }),
    );
  });

  it('refuses a CEO’s own voucher of 500,000.00 when there is no other CEO', () => {
    const ceoApplicant = person('ceo@x', ['CEO', 'MERCHANDISER']);

    expect(() => route(THRESHOLD, { applicant: ceoApplicant })).toThrowError(/CEO step/);
  });

  it('treats the applicant’s email case-insensitively, so they never hold a step', () => {
    const shouting = person('CASH@X', ['MERCHANDISER']);

    expect(() => route(1_000, { applicant: shouting })).toThrowError(/payment \(cashier\) step/);
  });

  it('only takes approvers from the applicant’s own legal entity (D17)', () => {
    const otherFinance = person('other-fin@x', ['FINANCE_REVIEWER'], { entityId: 'e2' });

    expect(() => route(1_000, { people: [merchandiser, head, otherFinance, cashier] })).toThrowError(
      /finance review step/,
    );
  });
});

describe('route properties over random directories (POLICY D18)', () => {
  const STEP_ROLE: Record<ApprovalStep, Role> = {
    HEAD_OF_MERCHANDISING: 'HEAD_OF_MERCHANDISING',
    CEO: 'CEO',
    FINANCE_REVIEW: 'FINANCE_REVIEWER',
    PAYMENT: 'CASHIER',
  };
  const approverRoles: Role[] = [
    'HEAD_OF_MERCHANDISING',
    'CEO',
    'FINANCE_REVIEWER',
    'CASHIER',
    'MERCHANDISER',
  ];
  const directory = fc
    .array(
      fc.record({
        roles: fc.subarray(approverRoles),
        otherEntity: fc.boolean(),
        deputy: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 7 },
    )
    .map((specs) =>
      specs.map((spec, i) =>
        person(`p${i}@x`, spec.roles, {
          entityId: spec.otherEntity && i > 0 ? 'e2' : entityId,
          ...(spec.deputy === undefined ? {} : { deputy: `p${spec.deputy}@x` }),
        }),
      ),
    );

  /** Who may hold each step, straight from the policy text (an oracle independent of the code). */
  function eligible(applicant: Person, everyone: readonly Person[], step: ApprovalStep): Person[] {
    const colleagues = everyone.filter(
      (p) => p.entityId === applicant.entityId && p.email !== applicant.email,
    );
    if (step === 'HEAD_OF_MERCHANDISING' && applicant.roles.includes('HEAD_OF_MERCHANDISING')) {
      return colleagues.filter((p) => p.email === applicant.deputy);
    }
    return colleagues.filter((p) => p.roles.includes(STEP_ROLE[step]));
  }

  function anyValidAssignment(
    applicant: Person,
    everyone: readonly Person[],
    steps: ApprovalStep[],
  ): boolean {
    const search = (index: number, used: string[]): boolean => {
      const step = steps[index];
      if (!step) return true;
      return eligible(applicant, everyone, step).some(
        (p) => !used.includes(p.email) && search(index + 1, [...used, p.email]),
      );
    };
    return search(0, []);
  }

  function greedy(applicant: Person, everyone: readonly Person[], steps: ApprovalStep[]): string[] | null {
    const used: string[] = [];
    for (const step of steps) {
      const pick = eligible(applicant, everyone, step).find((p) => !used.includes(p.email));
      if (!pick) return null;
      used.push(pick.email);
    }
    return used;
  }

  const cases = directory.chain((everyone) =>
    fc.record({
      everyone: fc.constant(everyone),
      applicant: fc.constantFrom(...everyone.filter((p) => p.entityId === entityId)),
      amount: fc.integer({ min: 1, max: 2 * THRESHOLD }),
    }),
  );
  const stepsFor = (amount: number): ApprovalStep[] =>
    amount >= THRESHOLD
      ? ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW', 'PAYMENT']
      : ['HEAD_OF_MERCHANDISING', 'FINANCE_REVIEW', 'PAYMENT'];

  it('gives every step to an eligible person of the entity, never the applicant, never one person twice', () => {
    fc.assert(
      fc.property(cases, ({ everyone, applicant, amount }) => {
        fc.pre(anyValidAssignment(applicant, everyone, stepsFor(amount)));

        const result = route(amount, { applicant, people: everyone });

        const assignees = result.steps.map((step) => step.assignee);
        expect(assignees).not.toContain(applicant.email);
        expect(new Set(assignees).size).toBe(assignees.length);
        for (const step of result.steps) {
          const holders = eligible(applicant, everyone, step.step).map((p) => p.email);
          expect(holders).toContain(step.assignee);
        }
      }),
    );
  });

  it('refuses exactly when no assignment of distinct eligible people exists', () => {
    fc.assert(
      fc.property(cases, ({ everyone, applicant, amount }) => {
        const possible = anyValidAssignment(applicant, everyone, stepsFor(amount));

        const attempt = () => route(amount, { applicant, people: everyone });

        if (possible) expect(attempt).not.toThrow();
        else expect(attempt).toThrowError(RuleViolationError);
      }),
    );
  });

  it('takes the first free person in directory order for each step whenever that fills every step', () => {
    fc.assert(
      fc.property(cases, ({ everyone, applicant, amount }) => {
        const expected = greedy(applicant, everyone, stepsFor(amount));
        fc.pre(expected !== null);

        expect(route(amount, { applicant, people: everyone }).steps.map((s) => s.assignee)).toEqual(expected);
      }),
    );
  });
});
