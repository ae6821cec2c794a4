/**
 * The approval workflow's task handlers (POLICY 2.2, D1, D18, D19). Step Functions calls them in AWS;
 * the local runtime calls the same functions for the same states. Each is idempotent, because a
 * state may run again (a Lambda retry, or the local runtime replaying an execution after a restart).
 */
import type { AppDeps } from '../app.ts';
import {
  isActive,
  reminderKind,
  secondsLeftUntilReminder,
  standingApproval,
  stepToRedo,
} from '../domain/approval-rules.ts';
import type { ApprovalStep, Voucher } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import type { VoucherActor } from '../domain/voucher-lifecycle.ts';
import { changeVoucher } from '../platform/change.ts';
import { approvalStepWait } from '../platform/store.ts';
import { APPROVAL_WITHDRAWN_ERROR, REJECTED_ERROR } from '../workflow/approval-states.ts';
import { workingDayCalendar } from '../working-days.ts';
import { approvalUrl } from './links.ts';
import { duePayment, type PaymentDue, paymentDue } from './payable.ts';

export interface VoucherRef {
  voucherId: string;
  version: number;
}

/** What the workflow learns from a decision; `requiresCeo` is the route as recorded at that moment. */
export interface DecisionOutput {
  decision: 'APPROVE';
  decidedBy: string;
  requiresCeo: boolean;
}

async function load(deps: AppDeps, ref: VoucherRef): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(ref.voucherId);
  if (!voucher) throw new Error(`voucher ${ref.voucherId} does not exist`);
  return voucher;
}

/**
 * The emails (the UI kit's email layout, preact and its renderer), loaded by `await import()` by the
 * two tasks that send one: the other tasks' functions never parse them (infra/constructs/bundling.ts).
 */
const emails = () => import('./emails.ts');

/** fundflow's own workflow, as the voucher's lifecycle knows it. */
const WORKFLOW: VoucherActor = { kind: 'WORKFLOW' };

/** StartApproval: the submitted version enters its approval chain. */
export async function startApproval(deps: AppDeps, ref: VoucherRef): Promise<{ requiresCeo: boolean }> {
  const { voucher } = await changeVoucher(deps, ref.voucherId, (voucher) => {
    // A replay or a retry finds it started already (or a newer version): nothing to do.
    if (voucher.version !== ref.version || voucher.status !== 'SUBMITTED') return null;
    const at = toShanghaiIso(deps.clock.now());
    return {
      action: 'START_APPROVAL',
      actor: WORKFLOW,
      next: voucher,
      event: { at, actor: 'fundflow', type: 'APPROVAL_STARTED', version: voucher.version },
    };
  });
  return { requiresCeo: voucher.route.requiresCeo };
}

const APPROVAL_MAILS = new Set(['APPROVAL_REQUESTED', 'APPROVAL_REMINDED', 'APPROVAL_ESCALATED']);

/**
 * PlanReminder: how long to wait for this step before reminding — one working day after the step
 * was requested. The first time through, the request is being made now (RequestApproval follows);
 * a replay (the local runtime after a restart runs the execution again from its start) finds this
 * attempt's email in the history and plans from when it went out, as the first run did — a restart
 * must not postpone the reminder.
 */
export async function planReminder(
  deps: AppDeps,
  input: VoucherRef & { step: ApprovalStep; attempt: number },
): Promise<{ step: ApprovalStep; attempt: number; timeoutSeconds: number }> {
  const calendar = await workingDayCalendar(deps);
  const now = deps.clock.now();
  // The round too (POLICY D6): a step asked for again after a refused proxy approval starts afresh.
  const voucher = await load(deps, input);
  const sent = await deps.store.vouchers.findEvent(input.voucherId, input.version, APPROVAL_MAILS, {
    step: input.step,
    attempt: input.attempt,
    round: roundDetails(voucher).round,
  });
  const requestedAt = sent ? new Date(sent.at) : now;
  return {
    step: input.step,
    attempt: input.attempt,
    timeoutSeconds: secondsLeftUntilReminder(requestedAt, now, calendar),
  };
}

/**
 * The round of a voucher version's chain (POLICY D6): 0 at first, one more each time a refused proxy
 * approval sent it back. Events of a later round carry it, so a step asked for again is mailed again.
 */
export const roundOf = (voucher: Pick<Voucher, 'approvalRound'>) => voucher.approvalRound ?? 0;
export const roundDetails = (voucher: Pick<Voucher, 'approvalRound'>) =>
  roundOf(voucher) > 0 ? { round: roundOf(voucher) } : {};

/**
 * POLICY D6: a wait that finds the voucher pulled back to an earlier step (a proxy approval refused
 * before payment) fails itself with ApprovalWithdrawn, so the workflow goes back to that step — also
 * when the refusal's own answer to the workflow was lost. True when it did.
 */
export async function failIfWithdrawn(
  deps: AppDeps,
  voucher: Voucher,
  taskToken: string,
  step: ApprovalStep,
): Promise<boolean> {
  const redo = stepToRedo(voucher, step);
  if (!redo) return false;
  await deps.taskTokens.fail(taskToken, APPROVAL_WITHDRAWN_ERROR, redo);
  return true;
}

/**
 * RequestApproval (a callback task): keeps the task token server-side and emails the approver — the
 * request, a reminder, or the escalation, by attempt. A step decided already (the decision landed
 * while the workflow was not waiting) is answered at once with the recorded decision.
 */
export async function requestApproval(
  deps: AppDeps,
  input: VoucherRef & { taskToken: string; step: ApprovalStep; attempt: number },
): Promise<void> {
  const voucher = await load(deps, input);
  const routeStep = voucher.route.steps.find((candidate) => candidate.step === input.step);
  if (!routeStep) throw new Error(`voucher ${voucher.id} has no ${input.step} step`);
  if (
    voucher.version === input.version &&
    (await failIfWithdrawn(deps, voucher, input.taskToken, input.step))
  ) {
    return;
  }
  const previous = await deps.store.approvals.getStep(voucher.id, input.version, input.step);
  const stored =
    previous?.decision === undefined &&
    (await deps.store.waits.keepStep(
      approvalStepWait(voucher.id, input.version, input.step),
      input.taskToken,
      {
        assignee: routeStep.assignee,
        attempt: Math.max(input.attempt, previous?.attempt ?? 0),
        revision: voucher.revision,
      },
    ));
  if (!stored) {
    await answerRecordedDecision(deps, input.taskToken, input);
    return;
  }
  // A replay (after a restart) or a retry must not mail the same request twice — nor skip one whose
  // send failed: the history says what went out.
  if (
    await deps.store.vouchers.hasEvent(voucher.id, input.version, APPROVAL_MAILS, {
      step: input.step,
      attempt: input.attempt,
      round: roundDetails(voucher).round,
    })
  ) {
    return;
  }
  const policy = await deps.store.settings.policy(voucher.entityId, voucher.policyVersion);
  const kind = reminderKind(input.attempt, policy.approvalRemindersBeforeEscalation);
  const now = deps.clock.now();
  const delegates = (await deps.store.approvals.delegationsFrom(routeStep.assignee))
    .filter((delegation) => isActive(delegation, now))
    .map((delegation) => delegation.to);
  const escalateTo =
    kind === 'ESCALATION' ? await escalationRecipients(deps, voucher, routeStep.assignee) : [];
  const { approvalRequest } = await emails();
  for (const approver of [routeStep.assignee, ...delegates]) {
    const link = approvalUrl(
      deps,
      { voucherId: voucher.id, version: input.version, step: input.step, approver },
      policy.approvalLinkDays,
    );
    await deps.mailer.send(approvalRequest(kind, voucher, input.step, approver, link, escalateTo));
  }
  await deps.store.vouchers.recordEvent(voucher.id, {
    at: toShanghaiIso(now),
    actor: 'fundflow',
    type:
      kind === 'REQUEST'
        ? 'APPROVAL_REQUESTED'
        : kind === 'REMINDER'
          ? 'APPROVAL_REMINDED'
          : 'APPROVAL_ESCALATED',
    version: input.version,
    details: {
      step: input.step,
      to: [routeStep.assignee, ...delegates],
      escalatedTo: escalateTo,
      attempt: input.attempt,
      ...roundDetails(voucher),
    },
  });
}

/** The approver's manager and finance review hear of a step left undecided too long. */
async function escalationRecipients(deps: AppDeps, voucher: Voucher, assignee: string): Promise<string[]> {
  const person = await deps.store.people.get(assignee);
  const finance = voucher.route.steps.find((step) => step.step === 'FINANCE_REVIEW')?.assignee;
  return [
    ...new Set([person?.manager, finance].filter((email): email is string => !!email && email !== assignee)),
  ];
}

async function answerRecordedDecision(
  deps: AppDeps,
  token: string,
  ref: VoucherRef & { step: ApprovalStep },
): Promise<void> {
  const [record, voucher] = await Promise.all([
    deps.store.approvals.getStep(ref.voucherId, ref.version, ref.step),
    load(deps, ref),
  ]);
  if (record?.decision === 'APPROVE') {
    const output: DecisionOutput = {
      decision: 'APPROVE',
      decidedBy: record.decidedBy ?? '',
      requiresCeo: voucher.route.requiresCeo,
    };
    await deps.taskTokens.succeed(token, output);
  } else if (record?.decision === 'REJECT') {
    await deps.taskTokens.fail(
      token,
      REJECTED_ERROR,
      JSON.stringify({ step: ref.step, reason: record.reason }),
    );
  }
}

/** RecordRejection: the rejected version gives back its claims, and the applicant hears why. */
export async function recordRejection(
  deps: AppDeps,
  input: VoucherRef & { step: ApprovalStep },
): Promise<void> {
  const { voucher, changed } = await changeVoucher(deps, input.voucherId, (voucher) => {
    if (voucher.version !== input.version || voucher.status !== 'REJECTED' || voucher.claimsReleased) {
      return null;
    }
    const at = toShanghaiIso(deps.clock.now());
    return {
      action: 'RELEASE_CLAIMS',
      actor: WORKFLOW,
      next: { ...voucher, claimsReleased: true },
      event: {
        at,
        actor: 'fundflow',
        type: 'CLAIMS_RELEASED',
        version: voucher.version,
        details: { allocations: voucher.allocations },
      },
      effects: [{ kind: 'claimsReleased' }],
    };
  });
  if (!changed) return;
  const record = await deps.store.approvals.getStep(voucher.id, voucher.version, input.step);
  const { rejectionNotice } = await emails();
  await deps.mailer.send(
    rejectionNotice(
      voucher,
      input.step,
      record?.decidedBy ?? '',
      record?.reason ?? '',
      `${deps.publicBaseUrl}/vouchers/${voucher.id}`,
    ),
  );
}

/** Long enough for the payment-day wait's handler to run before its timeout; either way it goes back. */
const WITHDRAWN_CHECK_SECONDS = 60;

/**
 * MarkReadyForPayment: finance has reviewed, so the voucher is payable now; the noon cutoff decides its
 * payment day (POLICY 2.2(3), D3, D4). The workflow then waits for that day's run to open.
 */
export async function markReadyForPayment(deps: AppDeps, ref: VoucherRef): Promise<PaymentDue> {
  const now = deps.clock.now();
  const inApproval = (voucher: Voucher) =>
    voucher.version === ref.version && voucher.status === 'IN_APPROVAL';
  // POLICY D6: an approval was withdrawn since finance reviewed — the voucher is not payable.
  const withdrawn = (voucher: Voucher) => inApproval(voucher) && stepToRedo(voucher, 'PAYMENT') !== null;
  const { voucher } = await changeVoucher(deps, ref.voucherId, async (voucher) => {
    if (!inApproval(voucher) || withdrawn(voucher)) return null;
    const at = toShanghaiIso(now);
    // POLICY D3: payable the moment finance review was recorded — not when this task happens to run
    // (a cold start, a retry or a restart in between must not move a morning voucher to the next day).
    const review = standingApproval(voucher, 'FINANCE_REVIEW');
    const payment = await duePayment(deps, voucher, review ? new Date(review.decidedAt) : now);
    return {
      action: 'MARK_READY_FOR_PAYMENT',
      actor: WORKFLOW,
      next: { ...voucher, payment },
      event: {
        at,
        actor: 'fundflow',
        type: 'READY_FOR_PAYMENT',
        version: voucher.version,
        details: { dueDate: payment?.dueDate },
      },
    };
  });
  if (withdrawn(voucher)) {
    // The payment-day wait comes at once and sends the workflow back to the withdrawn step.
    return {
      dueDate: shanghaiDate(now),
      runOpensAt: now.toISOString(),
      secondsUntilRun: WITHDRAWN_CHECK_SECONDS,
    };
  }
  return paymentDue(voucher, now);
}
