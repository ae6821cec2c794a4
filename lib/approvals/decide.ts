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
import { AppError, ValidationError } from '../domain/errors.ts';
import type { Approval, Voucher } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { changeVoucher } from '../platform/change.ts';
import type { WaitAnswer } from '../platform/owed-deliveries.ts';
import type { ConsentEmailUse, StepRecord, VoucherEffect } from '../platform/store.ts';
import { REJECTED_ERROR } from '../workflow/approval-states.ts';
import type { DecisionOutput } from './workflow-tasks.ts';

/** `2026-11-18 09:30` (Asia/Shanghai), as a message names an instant. */
const shanghaiMinute = (instant: string | undefined) =>
  instant === undefined ? '' : toShanghaiIso(new Date(instant)).slice(0, 16).replace('T', ' ');

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
  if (!voucher) throw new StepClosedError('NOT_WAITING', '这张凭单已不存在。This voucher no longer exists.');
  return { link, voucher, step: await waitingStep(deps, link, voucher) };
}

/** Step 2 on the voucher as it is: the link's version is current, and its step undecided and waiting. */
async function waitingStep(deps: AppDeps, link: ApprovalLink, voucher: Voucher): Promise<StepRecord> {
  if (voucher.version !== link.version) {
    throw new StepClosedError(
      'SUPERSEDED',
      `发出这个链接后凭单已被修改（现为第 ${voucher.version} 版），新版本会另发审批邮件。The voucher was edited after this link was sent (now version ${voucher.version}); the new version has its own approval emails.`,
    );
  }
  const step = await deps.store.approvals.getStep(voucher.id, voucher.version, link.step);
  if (step?.decision) {
    throw new StepClosedError(
      'ALREADY_DECIDED',
      `这一步已经审批过（${step.decidedBy} 于 ${shanghaiMinute(step.decidedAt)} ${step.decision === 'APPROVE' ? '批准' : '退回'}），没有做任何更改。This step was already decided (${step.decision === 'APPROVE' ? 'approved' : 'rejected'} by ${step.decidedBy} at ${shanghaiMinute(step.decidedAt)}). Nothing was changed.`,
    );
  }
  if (voucher.status !== 'IN_APPROVAL' || !step?.taskToken) {
    throw new StepClosedError(
      'NOT_WAITING',
      '这一步现在不在等待审批。This step is not waiting for a decision right now.',
    );
  }
  // POLICY D6: after a refused proxy approval an earlier step is decided again first; a link of a
  // later step (its old token still on the step) waits until the chain is back at it.
  const redo = stepToRedo(voucher, link.step);
  if (redo) {
    throw new StepClosedError(
      'NOT_WAITING',
      `这一步需等前面的步骤重新审批后再决定。An earlier step (${redo.toLowerCase().replaceAll('_', ' ')}) is being decided again first; this step gets a new email when it is its turn.`,
    );
  }
  return step;
}

export async function decide(
  deps: AppDeps,
  token: string,
  input: { decision: 'APPROVE' | 'REJECT'; reason: string },
): Promise<{ voucher: Voucher; approval: Approval }> {
  const { link } = await openApproval(deps, token);
  const reason = input.reason.trim();
  if (input.decision === 'REJECT' && reason === '') {
    throw new ValidationError('请告诉申请人退回的原因。Give the applicant a reason for the rejection.', {
      issues: [{ path: 'reason', message: '退回时必填 required when rejecting' }],
    });
  }
  const now = deps.clock.now();
  let approval: Approval | undefined;
  // 3–4, judged again on the voucher as it is whenever another write got there first (a second
  // click, a simultaneous POST): exactly one decision lands; the other is told what did.
  const next = await recordDecision(deps, link.voucherId, async (voucher) => {
    const step = await waitingStep(deps, link, voucher);
    const delegations = await deps.store.approvals.delegationsFrom(step.assignee);
    const { onBehalfOf } = assertMayDecide({
      voucher,
      step: link.step,
      decider: link.approver,
      delegations,
      now,
    });
    approval = {
      step: link.step,
      version: voucher.version,
      decision: input.decision,
      decidedBy: link.approver,
      ...(onBehalfOf ? { onBehalfOf } : {}),
      via: 'link',
      decidedAt: toShanghaiIso(now),
      ...(reason ? { reason } : {}),
    };
    return { approval, step, actor: link.approver };
  });
  if (!approval) throw new Error('a decision was recorded without its approval');
  return { voucher: next, approval };
}

/** A decision as judged on the voucher as read: the approval, the step it decides, who records it. */
export interface StepDecision {
  approval: Approval;
  step: StepRecord;
  /** Who records it: the approver or their delegate (by link), or the named proxy (D6). */
  actor: string;
  /** A proxy approval's consent email, marked used in the same transaction (POLICY D6). */
  consentUse?: ConsentEmailUse;
}

/**
 * Writes a decision exactly once — the step (only while undecided), the voucher (at the revision
 * read), its audit event, a proxy approval's pending countersign and used consent email, and the
 * answer it owes the waiting workflow task — in one transaction (shared by the link decision and the
 * proxy approval of POLICY D6). `judge` decides on the voucher as read, again after a lost race.
 */
export async function recordDecision(
  deps: AppDeps,
  voucherId: string,
  judge: (voucher: Voucher) => Promise<StepDecision>,
): Promise<Voucher> {
  const { voucher } = await changeVoucher(deps, voucherId, async (voucher) => {
    const { approval, step, actor, consentUse } = await judge(voucher);
    const approved = approval.decision === 'APPROVE';
    const next: Voucher = { ...voucher, approvals: [...(voucher.approvals ?? []), approval] };
    const answer: WaitAnswer = approved
      ? {
          output: {
            decision: 'APPROVE',
            decidedBy: approval.decidedBy,
            requiresCeo: next.route.requiresCeo,
          } satisfies DecisionOutput,
        }
      : { error: REJECTED_ERROR, cause: JSON.stringify({ step: approval.step, reason: approval.reason }) };
    const effects: VoucherEffect[] = [{ kind: 'stepDecided', approval, assignee: step.assignee }];
    if (approval.countersign === 'PENDING') {
      effects.push({
        kind: 'countersignAwaited',
        pending: {
          approver: step.assignee,
          voucherId: voucher.id,
          version: approval.version,
          step: approval.step,
          proxy: approval.proxy,
          approvedAt: approval.decidedAt,
        },
      });
    }
    if (consentUse) effects.push({ kind: 'consentEmailUsed', use: consentUse });
    return {
      action: approved ? 'APPROVE_STEP' : 'REJECT_STEP',
      actor: { kind: 'STEP_HOLDER', step: approval.step, holder: step.assignee, by: actor },
      next,
      event: {
        at: approval.decidedAt,
        actor,
        type: approved ? 'STEP_APPROVED' : 'STEP_REJECTED',
        version: voucher.version,
        details: {
          step: approval.step,
          via: approval.via,
          ...(approval.onBehalfOf ? { onBehalfOf: approval.onBehalfOf } : {}),
          ...(approval.proxy ? { proxy: approval.proxy, consentEmail: approval.consentEmail } : {}),
          ...(approval.reason ? { reason: approval.reason } : {}),
        },
      },
      // Delivered with the newest token, read at delivery (a token stored meanwhile is the one used;
      // if none is waiting yet, the next RequestApproval answers with the recorded decision).
      answers: [{ wait: { step: approval.step }, answer }],
      effects,
    };
  });
  return voucher;
}
