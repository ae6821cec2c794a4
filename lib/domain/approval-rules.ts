/**
 * Who may decide an approval step or pay a voucher, and when reminders fall (POLICY 2.2, D6, D18).
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { ForbiddenError } from './errors.ts';
import type { Approval, ApprovalStep, Instant, LocalDate, Voucher } from './model.ts';
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
  /** Set once when an administrator revokes it (issue 14 §1): from that instant it counts no more. */
  revokedAt?: Instant;
  revokedBy?: string;
}

export function isActive(delegation: Delegation, now: Date): boolean {
  // POLICY D18: a revoked delegation routes nothing from the instant it was revoked.
  if (delegation.revokedAt && Date.parse(delegation.revokedAt) <= now.getTime()) return false;
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
  if (!routeStep) {
    throw new ForbiddenError(
      `此凭单没有该审批步骤。This voucher has no ${step.toLowerCase().replaceAll('_', ' ')} step.`,
    );
  }
  if (decider === voucher.applicant)
    throw new ForbiddenError('申请人不能审批自己的凭单。The applicant cannot approve their own voucher.');
  // Recording another step's approval as a proxy (D6) counts as deciding it.
  const otherStep = (voucher.approvals ?? []).find(
    (approval) =>
      approval.step !== step &&
      approval.version === voucher.version &&
      (approval.decidedBy === decider || approval.proxy === decider),
  );
  if (otherStep) {
    throw new ForbiddenError(
      `您已经审批过此凭单的另一步骤，一人只能负责一步。You already decided the ${otherStep.step.toLowerCase().replaceAll('_', ' ')} step of this voucher; one person holds one step.`,
    );
  }
  if (decider === routeStep.assignee) return {};
  const delegated = input.delegations.some(
    (delegation) =>
      delegation.from === routeStep.assignee && delegation.to === decider && isActive(delegation, input.now),
  );
  if (!delegated) {
    throw new ForbiddenError(
      `只有 ${routeStep.assignee} 或其今日的授权代理人可以审批这一步。Only ${routeStep.assignee} or their delegate for today may decide this step.`,
    );
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
    return '这张凭单是您申请的，由另一位出纳付款。You applied for this voucher; another cashier pays it (POLICY D18).';
  const held =
    voucher.route.steps.find((step) => step.step !== 'PAYMENT' && step.assignee === email)?.step ??
    voucher.approvals?.find(
      (approval) =>
        approval.version === voucher.version &&
        approval.step !== 'PAYMENT' &&
        (approval.decidedBy === email || approval.proxy === email),
    )?.step;
  return held
    ? `您负责过这张凭单的另一步骤，由另一位出纳付款。You held the ${held.toLowerCase().replaceAll('_', ' ')} step of this voucher; another cashier pays it (POLICY D18: one person, one step).`
    : null;
}

/** The steps a proxy may record from the approver's consent email (POLICY D6): never finance review or payment. */
export const PROXY_STEPS: readonly ApprovalStep[] = ['HEAD_OF_MERCHANDISING', 'CEO'];

/**
 * A travelling approver's named proxy (POLICY D6, D18): explicit, dated, set by an administrator and
 * audited, like a delegation. Only such a person may record an approval from the approver's email.
 */
export interface ProxyAssignment {
  id: string;
  /** Whose steps the proxy may record. */
  approver: string;
  proxy: string;
  /** Inclusive Asia/Shanghai days. */
  from: LocalDate;
  to: LocalDate;
  reason: string;
  createdBy: string;
  createdAt: Instant;
  /** Set once when an administrator ends it early (issue 14 §1): from that instant it covers nothing. */
  endedAt?: Instant;
  endedBy?: string;
}

export function assignmentCovers(assignment: ProxyAssignment, now: Date): boolean {
  // POLICY D6, D18: an assignment ended early names no proxy from the instant it was ended.
  if (assignment.endedAt && Date.parse(assignment.endedAt) <= now.getTime()) return false;
  const today = shanghaiDate(now);
  return assignment.from <= today && today <= assignment.to;
}

/**
 * POLICY D6, D18: who may record a proxy approval of `step` — only someone the step's holder has been
 * given as their proxy by an administrator, for today; never by role alone, never the applicant, never
 * the holder themselves (they decide from their own link), and never anyone who holds, decided or
 * recorded another step of this voucher version.
 */
export function assertMayRecordProxy(input: {
  voucher: Voucher;
  step: ApprovalStep;
  proxy: string;
  assignments: readonly ProxyAssignment[];
  now: Date;
}): void {
  const { voucher, step, proxy } = input;
  const holder = voucher.route.steps.find((candidate) => candidate.step === step)?.assignee;
  if (!holder)
    throw new ForbiddenError(
      `此凭单没有该审批步骤。This voucher has no ${step.toLowerCase().replaceAll('_', ' ')} step.`,
    );
  if (proxy === voucher.applicant) {
    throw new ForbiddenError(
      '申请人不能代为记录自己凭单的审批。The applicant cannot record an approval of their own voucher.',
    );
  }
  if (proxy === holder) {
    throw new ForbiddenError(
      '您本人持有这一步，请用审批邮件中的链接决定。You hold this step: decide it from your approval link.',
    );
  }
  const held = voucher.route.steps.find(
    (candidate) => candidate.step !== step && candidate.assignee === proxy,
  );
  const decided = (voucher.approvals ?? []).find(
    (approval) =>
      approval.version === voucher.version &&
      approval.step !== step &&
      (approval.decidedBy === proxy || approval.proxy === proxy),
  );
  const other = held?.step ?? decided?.step;
  if (other) {
    throw new ForbiddenError(
      `您持有或已处理此凭单的另一步骤，一人只能负责一步。You hold or decided the ${other.toLowerCase().replaceAll('_', ' ')} step of this voucher; one person holds one step.`,
    );
  }
  const named = input.assignments.some(
    (assignment) =>
      assignment.approver === holder && assignment.proxy === proxy && assignmentCovers(assignment, input.now),
  );
  if (!named) {
    throw new ForbiddenError(
      `管理员没有指定您为 ${holder} 今天的代理人。No administrator has named you ${holder}\u2019s proxy for today.`,
    );
  }
}

/** An approval of `step` that still counts: of the current version, approved, not withdrawn (D6). */
export function standingApproval(
  voucher: Pick<Voucher, 'approvals' | 'version'>,
  step: ApprovalStep,
): Approval | undefined {
  return voucher.approvals?.findLast(
    (approval) =>
      approval.version === voucher.version &&
      approval.step === step &&
      approval.decision === 'APPROVE' &&
      approval.withdrawn === undefined,
  );
}

/**
 * POLICY D6: the step a voucher in approval was pulled back to — the first step of its route before
 * `before` whose approval no longer stands (a refused proxy approval withdrew it). Null while every
 * earlier step stands: the chain may go on. A wait of the workflow that finds one fails itself, so the
 * workflow goes back to that step.
 */
export function stepToRedo(
  voucher: Pick<Voucher, 'approvals' | 'version' | 'status' | 'route'>,
  before: ApprovalStep,
): ApprovalStep | null {
  if (voucher.status !== 'IN_APPROVAL') return null;
  for (const { step } of voucher.route.steps) {
    if (step === before || step === 'PAYMENT') break;
    if (!standingApproval(voucher, step)) return step;
  }
  return null;
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
