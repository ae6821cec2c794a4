import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalRouteFor } from '../../lib/domain/approval-route.ts';
import { RuleViolationError } from '../../lib/domain/errors.ts';
import type { Person } from '../../lib/domain/model.ts';
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

describe('the approval route (POLICY 2.2)', () => {
  it('goes head of merchandising → finance review → cashier below 500,000.00 (2.2(1))', () => {
    expect(route(THRESHOLD - 1).steps.map((step) => [step.step, step.assignee])).toEqual([
      ['HEAD_OF_MERCHANDISING', 'head@x'],
      ['FINANCE_REVIEW', 'fin@x'],
      ['PAYMENT', 'cash@x'],
    ]);
  });

  it('adds the CEO at exactly 500,000.00 (2.2(2), D1)', () => {
    const atThreshold = route(THRESHOLD);

    expect(atThreshold.requiresCeo).toBe(true);
    expect(atThreshold.ceoReason).toBe('AMOUNT_AT_OR_ABOVE_THRESHOLD');
    expect(atThreshold.steps.map((step) => step.step)).toEqual([
      'HEAD_OF_MERCHANDISING',
      'CEO',
      'FINANCE_REVIEW',
      'PAYMENT',
    ]);
  });

  it('needs the CEO exactly when the judged amount reaches the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 * THRESHOLD }),
        fc.integer({ min: 0, max: 2 * THRESHOLD }),
        (amount, extra) => {
          const result = route(amount, { splitAggregateFen: amount + extra });
          expect(result.requiresCeo).toBe(amount + extra >= THRESHOLD);
          expect(result.steps.some((step) => step.step === 'CEO')).toBe(result.requiresCeo);
        },
      ),
    );
  });

  it('names the split group as the reason when only the aggregate reaches the threshold (D2)', () => {
    const result = route(THRESHOLD / 2, { splitAggregateFen: THRESHOLD });

    expect(result).toMatchObject({
      requiresCeo: true,
      ceoReason: 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD',
      judgedAmountFen: THRESHOLD,
    });
  });

  it('follows a changed threshold of a newer policy version (D17)', () => {
    expect(route(10_000_000, { policy: { ceoThresholdFen: 10_000_000 } }).requiresCeo).toBe(true);
  });
});

describe('segregation of duties (POLICY D18)', () => {
  it('gives the head-of-merchandising step to the deputy when the head applies', () => {
    const result = route(1_000, { applicant: head });

    expect(result.steps[0]).toEqual({
      step: 'HEAD_OF_MERCHANDISING',
      role: 'HEAD_OF_MERCHANDISING',
      assignee: 'deputy@x',
      deputyFor: 'head@x',
    });
  });

  it('refuses when the head applies and has no deputy', () => {
    const noDeputy = { ...head, deputy: undefined };

    expect(() => route(1_000, { applicant: noDeputy, people: [noDeputy, finance, cashier] })).toThrowError(
      RuleViolationError,
    );
  });

  it('never lets one person hold two steps', () => {
    const both = person('both@x', ['FINANCE_REVIEWER', 'CASHIER']);
    const result = route(1_000, { people: [merchandiser, head, both, cashier] });

    expect(result.steps.map((step) => step.assignee)).toEqual(['head@x', 'both@x', 'cash@x']);
  });

  it('refuses a route whose only cashier is the applicant', () => {
    const cashierApplicant = person('cash@x', ['CASHIER', 'MERCHANDISER']);

    expect(() =>
      route(1_000, { applicant: cashierApplicant, people: [cashierApplicant, head, finance] }),
    ).toThrowError(/PAYMENT/);
  });

  it('never puts the applicant on their own route, whoever applies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...people),
        fc.integer({ min: 1, max: 2 * THRESHOLD }),
        (applicant, amount) => {
          try {
            const result = route(amount, { applicant });
            const assignees = result.steps.map((step) => step.assignee);
            expect(assignees).not.toContain(applicant.email);
            expect(new Set(assignees).size).toBe(assignees.length);
          } catch (error) {
            expect(error).toBeInstanceOf(RuleViolationError);
          }
        },
      ),
    );
  });

  it('only takes approvers from the applicant’s own legal entity (D17)', () => {
    const otherFinance = person('other-fin@x', ['FINANCE_REVIEWER'], { entityId: 'e2' });

    expect(() => route(1_000, { people: [merchandiser, head, otherFinance, cashier] })).toThrowError(
      /FINANCE_REVIEW/,
    );
  });
});
