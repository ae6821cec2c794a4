/**
 * The approval route of a voucher (POLICY 2.2(1)(2); D1, D2, D18). Business rules decide; the
 * workflow only follows the route recorded on the voucher (DESIGN.md decision 5).
 */
import { RuleViolationError } from './errors.ts';
import type { ApprovalRoute, ApprovalStep, Fen, Person, Role, RouteStep } from './model.ts';
import type { PolicySettings } from './policy.ts';

const STEP_ROLES: Record<ApprovalStep, Role> = {
  HEAD_OF_MERCHANDISING: 'HEAD_OF_MERCHANDISING',
  CEO: 'CEO',
  FINANCE_REVIEW: 'FINANCE_REVIEWER',
  PAYMENT: 'CASHIER',
};

export function approvalRouteFor(input: {
  applicant: Person;
  amountFen: Fen;
  splitAggregateFen: Fen;
  people: readonly Person[];
  policy: Pick<PolicySettings, 'ceoThresholdFen'>;
}): ApprovalRoute {
  const { applicant, policy } = input;
  const judgedAmountFen = Math.max(input.amountFen, input.splitAggregateFen);
  // POLICY 2.2(2), D1: "500,000 and above" — exactly the threshold needs the CEO too.
  const requiresCeo = judgedAmountFen >= policy.ceoThresholdFen;
  const ceoReason = !requiresCeo
    ? null
    : input.amountFen >= policy.ceoThresholdFen
      ? 'AMOUNT_AT_OR_ABOVE_THRESHOLD'
      : 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD';

  const colleagues = input.people.filter((person) => person.entityId === applicant.entityId);
  const steps: RouteStep[] = [];
  // POLICY D18: the applicant never approves their own voucher and one person never holds two steps.
  const taken = new Set<string>([applicant.email]);
  const unresolvable = (step: ApprovalStep, why: string): never => {
    throw new RuleViolationError(
      'ROUTE_UNRESOLVABLE',
      `No one can take the ${step} step of this voucher: ${why}. Ask an administrator to fix the directory.`,
    );
  };
  const assign = (step: ApprovalStep) => {
    const role = STEP_ROLES[step];
    if (step === 'HEAD_OF_MERCHANDISING' && applicant.roles.includes('HEAD_OF_MERCHANDISING')) {
      // POLICY D18: when the head of merchandising applies, their configured deputy takes the step.
      const deputy = colleagues.find((person) => person.email === applicant.deputy);
      if (!deputy)
        return unresolvable(step, `the applicant heads merchandising and has no deputy in the directory`);
      if (taken.has(deputy.email))
        return unresolvable(step, `the deputy ${deputy.email} already holds a step`);
      taken.add(deputy.email);
      steps.push({ step, role, assignee: deputy.email, deputyFor: applicant.email });
      return;
    }
    const holder = colleagues.find((person) => person.roles.includes(role) && !taken.has(person.email));
    if (!holder) return unresolvable(step, `nobody else holds the role ${role}`);
    taken.add(holder.email);
    steps.push({ step, role, assignee: holder.email });
  };

  assign('HEAD_OF_MERCHANDISING');
  if (requiresCeo) assign('CEO');
  assign('FINANCE_REVIEW');
  // POLICY D18: the cashier is never the applicant (the applicant is in `taken` from the start).
  assign('PAYMENT');
  return { requiresCeo, ceoReason, judgedAmountFen, thresholdFen: policy.ceoThresholdFen, steps };
}
