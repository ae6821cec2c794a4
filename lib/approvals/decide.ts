/**
 * Deciding an approval step from an email link (POLICY 2.2, D18, D19; DESIGN.md decision 4).
 *
 * Primary course:
 *  1. The link must be genuine and unexpired; it names the approver, the voucher version and the step.
 *  2. The version must still be the voucher's current one, and the step still undecided.
 *  3. The decider must be the step's holder or their delegate for today, not the applicant, and hold
 *     no other step of this version.
 *  4. The decision is written once (conditional), with the voucher, its audit event and the answer
 *     it owes the waiting workflow (lib/workflow/outbox.ts); that answer is delivered after the write
 *     — at once if this runtime can, else by the stream or the sweep — with the token kept server-side.
 */
import type { AppDeps } from '../app.ts';
import { type ApprovalLink, verifyLink } from '../domain/approval-links.ts';
import { assertMayDecide, stepToRedo } from '../domain/approval-rules.ts';
import { AppError, ConflictError, ValidationError } from '../domain/errors.ts';
import type { Approval, Voucher } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import type { ConsentEmailUse, StepRecord } from '../storage/approval-repository.ts';
import { ConcurrentUpdateError } from '../storage/transact.ts';
import { REJECTED_ERROR } from '../workflow/approval-states.ts';
import { owedAnswer, type WaitAnswer } from '../workflow/outbox.ts';
import type { DecisionOutput } from './workflow-tasks.ts';

/** Why a link cannot decide any more: shown as a clear page, nothing changes. */
export class StepClosedError extends AppError {
  readonly statusCode = 409;
  constructor(
    readonly code: 'SUPERSEDED' | 'ALREADY_DECIDED' | 'NOT_WAITING',
    message: string,
  ) {
    super(message);
  }
}

export interface ApprovalContext {
  link: ApprovalLink;
  voucher: Voucher;
  step: StepRecord | null;
}

/** Steps 1–2, shared by the confirmation page (GET) and the decision (POST). */
export async function openApproval(deps: AppDeps, token: string): Promise<ApprovalContext> {
  const link = verifyLink(token, deps.linkKey, deps.clock.now());
  const voucher = await deps.store.vouchers.get(link.voucherId);
  if (!voucher) throw new StepClosedError('NOT_WAITING', 'This voucher no longer exists.');
  if (voucher.version !== link.version) {
    throw new StepClosedError(
      'SUPERSEDED',
      `The voucher was edited after this link was sent (now version ${voucher.version}); the new version has its own approval emails.`,
    );
  }
  const step = await deps.store.approvals.getStep(voucher.id, voucher.version, link.step);
  if (step?.decision) {
    throw new StepClosedError(
      'ALREADY_DECIDED',
      `This step was already decided (${step.decision === 'APPROVE' ? 'approved' : 'rejected'} by ${step.decidedBy} at ${step.decidedAt}). Nothing was changed.`,
    );
  }
  if (voucher.status !== 'IN_APPROVAL' || !step?.taskToken) {
    throw new StepClosedError('NOT_WAITING', 'This step is not waiting for a decision right now.');
  }
  // POLICY D6: after a refused proxy approval an earlier step is decided again first; a link of a
  // later step (its old token still on the step) waits until the chain is back at it.
  const redo = stepToRedo(voucher, link.step);
  if (redo) {
    throw new StepClosedError(
      'NOT_WAITING',
      `这一步需等前面的步骤重新审批后再决定。An earlier step (${redo}) is being decided again first; this step gets a new email when it is its turn.`,
    );
  }
  return { link, voucher, step };
}

export async function decide(
  deps: AppDeps,
  token: string,
  input: { decision: 'APPROVE' | 'REJECT'; reason: string },
): Promise<{ voucher: Voucher; approval: Approval }> {
  const { link, voucher, step } = await openApproval(deps, token);
  if (!step) throw new StepClosedError('NOT_WAITING', 'This step is not waiting for a decision right now.');
  const reason = input.reason.trim();
  if (input.decision === 'REJECT' && reason === '') {
    throw new ValidationError('Give the applicant a reason for the rejection.', {
      issues: [{ path: 'reason', message: 'required when rejecting' }],
    });
  }
  const now = deps.clock.now();
  const delegations = await deps.store.approvals.delegationsFrom(step.assignee);
  const { onBehalfOf } = assertMayDecide({
    voucher,
    step: link.step,
    decider: link.approver,
    delegations,
    now,
  });
  const approval: Approval = {
    step: link.step,
    version: voucher.version,
    decision: input.decision,
    decidedBy: link.approver,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    via: 'link',
    decidedAt: toShanghaiIso(now),
    ...(reason ? { reason } : {}),
  };
  const next = await recordDecision(deps, {
    voucher,
    step,
    approval,
    actor: link.approver,
    recheck: () => openApproval(deps, token),
  });
  return { voucher: next, approval };
}

/**
 * Writes a decision exactly once, with the answer it owes the waiting workflow task in the same
 * transaction (shared by the link decision and the proxy approval of POLICY D6).
 */
export async function recordDecision(
  deps: AppDeps,
  input: {
    voucher: Voucher;
    step: StepRecord;
    approval: Approval;
    actor: string;
    recheck: () => Promise<unknown>;
    /** A proxy approval's consent email, marked used in the same transaction (POLICY D6). */
    consentUse?: ConsentEmailUse;
  },
): Promise<Voucher> {
  const { voucher, approval } = input;
  const next: Voucher = {
    ...voucher,
    status: approval.decision === 'REJECT' ? 'REJECTED' : voucher.status,
    approvals: [...(voucher.approvals ?? []), approval],
    revision: voucher.revision + 1,
    updatedAt: approval.decidedAt,
  };
  const answer: WaitAnswer =
    approval.decision === 'APPROVE'
      ? {
          output: {
            decision: 'APPROVE',
            decidedBy: approval.decidedBy,
            requiresCeo: next.route.requiresCeo,
          } satisfies DecisionOutput,
        }
      : { error: REJECTED_ERROR, cause: JSON.stringify({ step: approval.step, reason: approval.reason }) };
  const owed = owedAnswer(next, { step: approval.step }, answer, deps.clock.now());
  try {
    await deps.store.approvals.decide({
      voucher,
      next,
      approval,
      assignee: input.step.assignee,
      ...(input.consentUse ? { consentUse: input.consentUse } : {}),
      owed,
      event: {
        at: approval.decidedAt,
        actor: input.actor,
        type: approval.decision === 'APPROVE' ? 'STEP_APPROVED' : 'STEP_REJECTED',
        version: voucher.version,
        details: {
          step: approval.step,
          via: approval.via,
          ...(approval.onBehalfOf ? { onBehalfOf: approval.onBehalfOf } : {}),
          ...(approval.proxy ? { proxy: approval.proxy, consentEmail: approval.consentEmail } : {}),
          ...(approval.reason ? { reason: approval.reason } : {}),
        },
      },
    });
  } catch (error) {
    if (error instanceof ConcurrentUpdateError) {
      // A second click or a simultaneous POST: exactly one decision lands; this one shows what did.
      await input.recheck();
      throw new ConflictError(
        'CONCURRENT_UPDATE',
        'The voucher changed while you decided; open the link again.',
      );
    }
    throw error;
  }
  // Delivered with the newest token, read at delivery (a token stored meanwhile is the one used; if
  // none is waiting yet, the next RequestApproval answers with the recorded decision).
  await deps.workflowOutbox.written([owed]);
  return next;
}
