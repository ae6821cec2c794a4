/**
 * Who may decide an approval step or pay a voucher, and when reminders fall (POLICY 2.2, D6, D18).
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { ForbiddenError } from './errors.ts';
import type { ApprovalStep, Instant, Voucher } from './model.ts';
import { shanghaiDate } from './time.ts';

export interface Delegation {
  id: string;
  from: string;
  to: string;
  /** Inclusive Asia/Shanghai days. */
  validFrom: string;
  validTo: string;
  reason: string;
  createdBy: string;
  createdAt: Instant;
}

export function isActive(delegation: Delegation, now: Date): boolean {
  const today = shanghaiDate(now);
  return delegation.validFrom <= today && today <= delegation.validTo;
}

/**
 * POLICY D18: the step's assignee, or someone the assignee explicitly delegated to for today. Never
 * the applicant, and never someone who already decided another step of this voucher version.
 */
export function assertMayDecide(input: {
  voucher: Voucher;
  step: ApprovalStep;
  decider: string;
  delegations: readonly Delegation[];
  now: Date;
}): { onBehalfOf?: string } {
  const { voucher, step, decider } = input;
  const routeStep = voucher.route.steps.find((candidate) => candidate.step === step);
  if (!routeStep) throw new ForbiddenError(`This voucher has no ${step} step.`);
  if (decider === voucher.applicant)
    throw new ForbiddenError('The applicant cannot approve their own voucher.');
  const otherStep = (voucher.approvals ?? []).find(
    (approval) =>
      approval.step !== step && approval.version === voucher.version && approval.decidedBy === decider,
  );
  if (otherStep) {
    throw new ForbiddenError(
      `You already decided the ${otherStep.step} step of this voucher; one person holds one step.`,
    );
  }
  if (decider === routeStep.assignee) return {};
  const delegated = input.delegations.some(
    (delegation) =>
      delegation.from === routeStep.assignee && delegation.to === decider && isActive(delegation, input.now),
  );
  if (!delegated) {
    throw new ForbiddenError(`Only ${routeStep.assignee} or their delegate for today may decide this step.`);
  }
  return { onBehalfOf: routeStep.assignee };
}

/**
 * POLICY D18 at the payment step: the cashier is never the applicant, and one person never holds two
 * steps of the same voucher — whoever held or decided another step of this version (a finance
 * reviewer who also has the cashier's role, say) neither pays it nor puts it in a bank file. Null when
 * `email` may; otherwise why not.
 */
export function whyMayNotPay(
  voucher: Pick<Voucher, 'applicant' | 'route' | 'approvals' | 'version'>,
  email: string,
): string | null {
  if (voucher.applicant === email)
    return 'You applied for this voucher; another cashier pays it (POLICY D18).';
  const held =
    voucher.route.steps.find((step) => step.step !== 'PAYMENT' && step.assignee === email)?.step ??
    voucher.approvals?.find(
      (approval) =>
        approval.version === voucher.version && approval.step !== 'PAYMENT' && approval.decidedBy === email,
    )?.step;
  return held
    ? `You held the ${held} step of this voucher; another cashier pays it (POLICY D18: one person, one step).`
    : null;
}

/**
 * "No decision after one working day" → the same Asia/Shanghai time of day on the next working day.
 * Returns whole seconds from `from` (at least 60).
 */
export function secondsUntilReminder(from: Date, calendar: WorkingDayCalendar): number {
  const today = shanghaiDate(from);
  const next = calendar.nextWorkingDay(today);
  const days = Math.round((Date.parse(`${next}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  return Math.max(60, days * 86_400);
}

/**
 * Seconds from `now` until the reminder of a step requested at `requestedAt`: one working day after
 * the request, however late it is planned (a replayed workflow keeps the first plan's deadline); at
 * least one second once that is past, the shortest timeout Step Functions takes.
 */
export function secondsLeftUntilReminder(requestedAt: Date, now: Date, calendar: WorkingDayCalendar): number {
  const remindAt = requestedAt.getTime() + secondsUntilReminder(requestedAt, calendar) * 1000;
  return Math.max(1, Math.ceil((remindAt - now.getTime()) / 1000));
}

export type ReminderKind = 'REQUEST' | 'REMINDER' | 'ESCALATION';

/** Attempt 0 asks; the next `remindersBeforeEscalation` remind; later ones also escalate. */
export function reminderKind(attempt: number, remindersBeforeEscalation: number): ReminderKind {
  if (attempt === 0) return 'REQUEST';
  return attempt <= remindersBeforeEscalation ? 'REMINDER' : 'ESCALATION';
}
