/**
 * The travelling approver (POLICY 2.2 note, D6, D18). A proxy records the head of merchandising's or
 * the CEO's approval from their original consent email; the step is then approved "by email, awaiting
 * countersign" and the chain moves on — countersigns never block payment. Back in the office the
 * approver countersigns everything pending in one action from one email link.
 *
 * Trust (DESIGN.md decision 15): only the proxy an administrator named for the step's holder, for
 * today, may record one (never by role alone, never the applicant or someone holding another step);
 * the email counts only with a passing DKIM signature of the approver's own domain, strictly aligned
 * with a From: that is the approver, over the whole body; its signed text names the voucher, the payee
 * and the exact amount; and one email serves one approval. The approver is told at once, with a link
 * to refuse: a refusal before payment pulls the voucher back to that step (the workflow goes back
 * there), after payment it is escalated to finance and the CEO. Finance hears of every refusal.
 */
import type PostalMime from 'postal-mime';
import type { AppDeps } from '../app.ts';
import { signLink, verifyLink } from '../domain/approval-links.ts';
import { assertMayRecordProxy, PROXY_STEPS, standingApproval, stepToRedo } from '../domain/approval-rules.ts';
import { assertAuthenticConsent, assertConsentNamesVoucher } from '../domain/consent-email.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Approval, ApprovalStep, Person, Voucher } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { allows } from '../domain/voucher-lifecycle.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import { verifyDkim } from '../mail/dkim.ts';
import { logger } from '../observability/logger.ts';
import { changeVoucher, type VoucherChange } from '../platform/change.ts';
import type { PendingCountersign, StepRecord, VoucherEffect } from '../platform/store.ts';
import { sniffWholeFile } from '../uploads/file-kinds.ts';
import { APPROVAL_WITHDRAWN_ERROR } from '../workflow/approval-states.ts';
import { recordDecision } from './decide.ts';
import { financeOf } from './finance-reviewers.ts';
import { roundOf } from './workflow-tasks.ts';

/**
 * The emails (the UI kit's email layout, preact and its renderer), loaded by `await import()` when one
 * is sent: the JSON function that records a proxy's approval never parses them at cold start.
 */
const emails = () => import('./emails.ts');

/**
 * Primary course:
 *  1. The step may take a proxy (head of merchandising or CEO) and waits for its decision now.
 *  2. The recorder is the holder's named proxy for today, and a third person to this voucher (D18).
 *  3. The consent email is the recorder's upload of an .eml, DKIM-signed by the approver's domain,
 *     from the approver, naming this voucher, payee and amount, and not used before.
 *  4. The approval, the used email and the pending countersign are written once (conditional); then
 *     the workflow moves on and the approver is emailed, with a link to refuse.
 */
export async function recordProxyApproval(
  deps: AppDeps,
  proxy: Person,
  voucherId: string,
  input: { step: ApprovalStep; consentEmail: string },
): Promise<Voucher> {
  // 1. Which step, and is it waiting?
  if (!PROXY_STEPS.includes(input.step)) {
    throw new RuleViolationError(
      'PROXY_NOT_ALLOWED',
      '只有商品部负责人和 CEO 的审批可由代理人根据邮件记录。Only the head of merchandising and CEO steps can be approved from an email.',
      {
        issues: [{ path: 'step', message: '商品部负责人或 CEO 的审批 the head of merchandising or the CEO' }],
      },
    );
  }
  const now = deps.clock.now();
  const voucher = await deps.store.vouchers.get(voucherId);
  // 2. Only the named proxy, and a third person to this voucher (POLICY D6, D18).
  const step = await proxyMayRecord(deps, proxy, voucherId, voucher, input.step, now);
  // 3. The consent email: genuine, the approver's, about this payment, used once.
  const raw = await consentEmailOf(deps, proxy, input.consentEmail);
  const consent = await authenticConsent(deps, raw, step.assignee, now);
  // 4. Approved by email, awaiting countersign; the chain moves on. Judged again on the voucher as it
  // is whenever another write got there first (the step decided meanwhile, the email used meanwhile).
  const next = await recordDecision(deps, voucherId, async (current) => {
    const waiting = await proxyMayRecord(deps, proxy, voucherId, current, input.step, now);
    assertConsentNamesVoucher(consent, waiting.assignee, current);
    if (await deps.store.approvals.consentEmailUse(consent.signatureId)) {
      throw new RuleViolationError(
        'CONSENT_EMAIL_ALREADY_USED',
        '这封同意邮件已经用过一次；每封邮件只能用于一次审批。This consent email was used for an approval already; one email serves one approval.',
        { issues: [{ path: 'consentEmail', message: '已用过 used before' }] },
      );
    }
    const at = toShanghaiIso(now);
    return {
      approval: {
        step: input.step,
        version: current.version,
        decision: 'APPROVE',
        decidedBy: waiting.assignee,
        via: 'email-proxy',
        proxy: proxy.email,
        consentEmail: input.consentEmail,
        countersign: 'PENDING',
        decidedAt: at,
      },
      step: waiting,
      actor: proxy.email,
      consentUse: {
        signatureId: consent.signatureId,
        voucherId: current.id,
        version: current.version,
        step: input.step,
        proxy: proxy.email,
        consentEmail: input.consentEmail,
        at,
      },
    };
  });
  await tellApprover(deps, next, input.step, step.assignee, proxy.email);
  return next;
}

/**
 * Steps 1–2 on the voucher as it is: the step waits for its decision now, and the recorder is the
 * holder's named proxy for today and a third person to this voucher (D6, D18). The step's record.
 */
async function proxyMayRecord(
  deps: AppDeps,
  proxy: Person,
  voucherId: string,
  voucher: Voucher | null,
  stepName: ApprovalStep,
  now: Date,
): Promise<StepRecord> {
  if (!voucher || voucher.entityId !== proxy.entityId) {
    throw new NotFoundError(`没有这张凭单 ${voucherId}。No voucher ${voucherId}.`);
  }
  const step = await deps.store.approvals.getStep(voucher.id, voucher.version, stepName);
  if (
    voucher.status !== 'IN_APPROVAL' ||
    !step?.taskToken ||
    step.decision ||
    stepToRedo(voucher, stepName) !== null
  ) {
    throw new ConflictError(
      'NOT_WAITING',
      `此凭单的这一步现在不在等待审批。The ${stepName} step of this voucher is not waiting for a decision.`,
    );
  }
  assertMayRecordProxy({
    voucher,
    step: stepName,
    proxy: proxy.email,
    assignments: await deps.store.approvals.proxyAssignmentsOf(step.assignee),
    now,
  });
  return step;
}

async function consentEmailOf(deps: AppDeps, proxy: Person, key: string): Promise<Buffer> {
  const upload = await deps.store.uploads.get(key);
  const raw = upload?.owner === proxy.email ? await deps.evidence.get(key) : null;
  // An email by its bytes, not by what its upload declared (DESIGN.md decision 15).
  const isEmail = raw !== null && (await sniffWholeFile(raw))?.name === 'eml';
  if (!upload || !raw || upload.contentType !== 'message/rfc822' || !isEmail) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_MISSING',
      '请先上传审批人的原始邮件（.eml）。Upload the approver\u2019s original email (.eml) first.',
      { issues: [{ path: 'consentEmail', message: '不是您上传的 .eml 邮件 not an uploaded .eml of yours' }] },
    );
  }
  return Buffer.from(raw);
}

/** The signed facts of an authentic consent email: its sender, its text and its signature's identity. */
async function authenticConsent(
  deps: AppDeps,
  raw: Buffer,
  approver: string,
  now: Date,
): Promise<{ from: string; text: string; signatureId: string }> {
  let report: Awaited<ReturnType<typeof verifyDkim>>;
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    report = await verifyDkim(raw, deps.dns, now);
    // Loaded here, by `await import()`: only a consent email needs the MIME parser (~76 KB), not
    // every cold start of the approvals function.
    const { default: parser } = await import('postal-mime');
    email = await parser.parse(raw);
  } catch (error) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      '无法把这个文件读作一封邮件。The file cannot be read as an email.',
      { issues: [{ path: 'consentEmail', message: '无法读取的邮件 not a readable email' }], cause: error },
    );
  }
  const signature = assertAuthenticConsent(report, approver);
  const from = report.fromAddresses[0] ?? '';
  const parsedFrom = email.from && 'address' in email.from ? (email.from.address ?? '') : '';
  if (parsedFrom.toLowerCase() !== from.toLowerCase()) {
    // Two readings of one From: line disagree: a crafted header, not a person's email.
    throw new RuleViolationError(
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      '发件人一栏写法异常，无法确定发件人。The From: line is written so that its sender is ambiguous.',
      {
        issues: [
          {
            path: 'consentEmail',
            message: `发件人可读作 ${from} 也可读作 ${parsedFrom} the From: line reads as ${from} and as ${parsedFrom}`,
          },
        ],
      },
    );
  }
  // Only the text part is read: the whole body is signed (no l= leaves any of it out).
  return { from, text: email.text ?? '', signatureId: signature.id };
}

const LINK_DAYS = 30;

function linkUrl(
  deps: AppDeps,
  path: 'countersign' | 'proxy-refusal',
  link: { voucherId: string; version: number; step: ApprovalStep; approver: string },
): string {
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + LINK_DAYS * 86_400;
  const purpose = path === 'countersign' ? 'countersign' : 'refuse-proxy';
  return `${deps.publicBaseUrl}/${path}/${signLink({ ...link, expiresAt, purpose }, deps.linkKey)}`;
}

/** The approver's one link to everything pending (one link for all, so no voucher or step in it). */
const countersignUrl = (deps: AppDeps, approver: string) =>
  linkUrl(deps, 'countersign', { voucherId: '', version: 0, step: 'HEAD_OF_MERCHANDISING', approver });

/**
 * The approver hears at once, with the link to refuse. Best effort after the write: if the send fails,
 * the approval stands and the weekly countersign reminder still reaches them (with the refusal there).
 */
async function tellApprover(
  deps: AppDeps,
  voucher: Voucher,
  step: ApprovalStep,
  approver: string,
  proxy: string,
): Promise<void> {
  try {
    await deps.mailer.send(
      (await emails()).proxyApprovalNotice({
        voucher,
        step,
        approver,
        proxy,
        refuseLink: linkUrl(deps, 'proxy-refusal', {
          voucherId: voucher.id,
          version: voucher.version,
          step,
          approver,
        }),
        countersignLink: countersignUrl(deps, approver),
      }),
    );
  } catch (error) {
    logger.error('the approver was not told of a proxy approval; the weekly countersign reminder will', {
      voucherId: voucher.id,
      step,
      error: error as Error,
    });
  }
}

/** One email, one link, for everything the approver has pending. */
export async function sendCountersignRequest(deps: AppDeps, approver: string): Promise<void> {
  const pending = await deps.store.approvals.pendingCountersigns(approver);
  if (pending.length === 0) return;
  await deps.mailer.send(
    (await emails()).countersignReminder(approver, pending.length, countersignUrl(deps, approver)),
  );
}

/** The proxy approval a refusal is about: of that version and step, still awaiting its countersign. */
function pendingProxyApproval(
  voucher: Voucher,
  ref: { version: number; step: ApprovalStep; approver: string },
): Approval | undefined {
  return voucher.approvals?.find(
    (approval) =>
      approval.version === ref.version &&
      approval.step === ref.step &&
      approval.decidedBy === ref.approver &&
      approval.via === 'email-proxy' &&
      approval.countersign === 'PENDING' &&
      approval.withdrawn === undefined,
  );
}

export interface ProxyRefusalContext {
  voucher: Voucher;
  approval: Approval;
  step: ApprovalStep;
  approver: string;
}

/** The refusal page behind the emailed link (GET shows it, POST refuses): the link is the credential. */
export async function openProxyRefusal(deps: AppDeps, token: string): Promise<ProxyRefusalContext> {
  const link = verifyLink(token, deps.linkKey, deps.clock.now(), 'refuse-proxy');
  const voucher = await deps.store.vouchers.get(link.voucherId);
  if (!voucher) throw new NotFoundError('这张凭单已不存在。This voucher no longer exists.');
  const approval = pendingProxyApproval(voucher, link);
  if (!approval) {
    const settled = voucher.approvals?.find(
      (candidate) =>
        candidate.version === link.version &&
        candidate.step === link.step &&
        candidate.via === 'email-proxy' &&
        candidate.decidedBy === link.approver,
    );
    throw new ConflictError(
      'NOT_PENDING',
      settled?.countersign === 'COUNTERSIGNED'
        ? '您已补签这次审批，无法再拒绝。You countersigned this approval already; it can no longer be refused here.'
        : '这次代录的审批已被拒绝或撤回，没有再做任何更改。This approval was refused or withdrawn already; nothing was changed.',
    );
  }
  return { voucher, approval, step: link.step, approver: link.approver };
}

export async function refuseByLink(
  deps: AppDeps,
  token: string,
  reason: string,
): Promise<{ outcome: RefusalOutcome; voucher: Voucher }> {
  const { voucher, step, approver, approval } = await openProxyRefusal(deps, token);
  return refuseProxyApproval(deps, {
    voucherId: voucher.id,
    version: approval.version,
    step,
    approver,
    reason,
  });
}

/** PULLED_BACK: back to the refused step before payment. ESCALATED: too late (paid…); finance and the CEO decide. */
export type RefusalOutcome = 'PULLED_BACK' | 'ESCALATED';

/**
 * The approver refuses an approval a proxy recorded in their name — one rule for the refusal link and
 * the countersign page (POLICY D6):
 *  - before payment (the voucher's current version, not PAID, in no bank file yet): the approval is
 *    withdrawn (kept in the record), that step and every later step decided on its basis are decided
 *    again, the voucher is back IN_APPROVAL without a planned payment, the waiting workflow goes back to
 *    that step, and finance is told;
 *  - otherwise (paid or closed, rejected, superseded, or already in a bank file — the money may have
 *    left): the countersign is recorded as refused and finance and the CEO are told, as before.
 */
export async function refuseProxyApproval(
  deps: AppDeps,
  input: { voucherId: string; version: number; step: ApprovalStep; approver: string; reason: string },
): Promise<{ outcome: RefusalOutcome; voucher: Voucher }> {
  const reason = input.reason.trim();
  // The guard's judgment of the voucher as it was written (a lost race — the cashier paying, a decision
  // landing at this moment — reads again and judges anew).
  let refusal: PullBack | Escalation | undefined;
  const { voucher: next } = await changeVoucher(
    deps,
    input.voucherId,
    (voucher) => {
      const approval = pendingProxyApproval(voucher, input);
      if (!approval) {
        throw new ConflictError(
          'NOT_PENDING',
          '这次代录的审批已补签、拒绝或撤回。This approval was countersigned, refused or withdrawn already.',
        );
      }
      const at = toShanghaiIso(deps.clock.now());
      const actor = {
        kind: 'STEP_HOLDER',
        step: input.step,
        holder: input.approver,
        by: input.approver,
      } as const;
      const inBankFile = (voucher.payment?.exports?.length ?? 0) > 0;
      if (
        voucher.version === input.version &&
        allows(voucher.status, 'WITHDRAW_PROXY_APPROVAL') &&
        !inBankFile
      ) {
        const pullBack = pullBackOf(voucher, approval, { at, approver: input.approver, reason });
        refusal = pullBack;
        return { ...pullBack.change, actor };
      }
      const pending: PendingCountersign = {
        approver: input.approver,
        voucherId: voucher.id,
        version: input.version,
        step: input.step,
        proxy: approval.proxy,
        approvedAt: approval.decidedAt,
      };
      refusal = { outcome: 'ESCALATED', pending, inBankFile };
      return {
        action: 'REFUSE_COUNTERSIGN',
        actor,
        next: {
          ...voucher,
          approvals: (voucher.approvals ?? []).map((candidate) =>
            candidate === approval
              ? { ...candidate, countersign: 'REFUSED' as const, countersignedAt: at }
              : candidate,
          ),
        },
        event: {
          at,
          actor: input.approver,
          type: 'COUNTERSIGN_REFUSED',
          version: input.version,
          details: {
            step: input.step,
            proxy: approval.proxy,
            reason,
            ...(inBankFile ? { inBankFile: true } : {}),
          },
        },
        effects: [{ kind: 'countersignSettled', pending }],
      };
    },
    { load: () => existingVoucher(deps, input.voucherId) },
  );
  if (!refusal) throw new Error('a refusal was written without its judgment');
  if (refusal.outcome === 'ESCALATED') {
    await escalateRefusal(deps, next, refusal.pending, reason, refusal.inBankFile);
    return { outcome: 'ESCALATED', voucher: next };
  }
  // The workflow hears through the outbox (written with the change); finance by email.
  const { read, refused, withdrawnSteps } = refusal;
  const to = await financeOf(deps, read);
  await deps.mailer.send(
    (await emails()).approvalWithdrawnNotice({
      voucher: next,
      to,
      step: refused.step,
      approver: input.approver,
      proxy: refused.proxy ?? '',
      reason,
      redo: withdrawnSteps,
      droppedDueDate: read.payment?.dueDate,
      link: `${deps.publicBaseUrl}/vouchers/${read.id}`,
    }),
  );
  return { outcome: 'PULLED_BACK', voucher: next };
}

async function existingVoucher(deps: AppDeps, voucherId: string): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(voucherId);
  if (!voucher) throw new NotFoundError(`没有这张凭单 ${voucherId}。No voucher ${voucherId}.`);
  return voucher;
}

/** Too late to go back (paid, in a bank file, rejected, superseded): finance and the CEO decide. */
interface Escalation {
  outcome: 'ESCALATED';
  pending: PendingCountersign;
  inBankFile: boolean;
}

/** Before payment: back to the refused step. */
interface PullBack {
  outcome: 'PULLED_BACK';
  read: Voucher;
  refused: Approval;
  withdrawnSteps: ApprovalStep[];
  change: Omit<VoucherChange, 'actor'>;
}

/**
 * Before payment the voucher goes back to the refused step, in one transaction: the approvals withdrawn
 * (kept), the steps decided again, their pending countersigns gone, no payment planned, and the
 * answers the waiting workflow is owed.
 */
function pullBackOf(
  voucher: Voucher,
  refused: Approval,
  by: { at: string; approver: string; reason: string },
): PullBack {
  const humanSteps: ApprovalStep[] = voucher.route.steps
    .map((routeStep) => routeStep.step)
    .filter((step) => step !== 'PAYMENT');
  const redo = humanSteps.slice(humanSteps.indexOf(refused.step));
  // The refused step and every later one decided on its basis (finance's review, the CEO's approval…).
  const withdrawnSteps = redo.filter((step) => standingApproval(voucher, step) !== undefined);
  const withdrawal = { at: by.at, by: by.approver, step: refused.step, reason: by.reason };
  // Proxy approvals withdrawn with it no longer await anyone's countersign.
  const effects: VoucherEffect[] = [
    { kind: 'stepsReopened', version: voucher.version, steps: withdrawnSteps },
  ];
  const approvals = (voucher.approvals ?? []).map((approval): Approval => {
    const withdrawnToo =
      approval === refused ||
      (withdrawnSteps.includes(approval.step) && approval === standingApproval(voucher, approval.step));
    if (!withdrawnToo) return approval;
    if (approval.countersign === 'PENDING') {
      effects.push({
        kind: 'countersignWithdrawn',
        pending: {
          approver: approval.decidedBy,
          voucherId: voucher.id,
          version: voucher.version,
          step: approval.step,
        },
      });
    }
    return approval === refused
      ? { ...approval, countersign: 'REFUSED', countersignedAt: by.at, withdrawn: withdrawal }
      : { ...approval, withdrawn: withdrawal };
  });
  const { payment, ...rest } = voucher;
  return {
    outcome: 'PULLED_BACK',
    read: voucher,
    refused,
    withdrawnSteps,
    change: {
      action: 'WITHDRAW_PROXY_APPROVAL',
      next: { ...rest, approvals, approvalRound: roundOf(voucher) + 1 },
      event: {
        at: by.at,
        actor: by.approver,
        type: 'APPROVAL_WITHDRAWN',
        version: voucher.version,
        details: {
          step: refused.step,
          proxy: refused.proxy,
          reason: by.reason,
          redo: withdrawnSteps,
          previousStatus: voucher.status,
          ...(payment ? { droppedPayment: { dueDate: payment.dueDate, status: payment.status } } : {}),
        },
      },
      answers: withdrawalAnswers(refused.step, redo),
      effects,
    },
  };
}

/**
 * The answers a withdrawal owes the workflow, written in its own transaction (lib/workflow/outbox.ts):
 * ApprovalWithdrawn for every wait the execution may be in — a later step's decision, the payment day,
 * the cashier, finance after a failed payment (each wait's Catch goes back to `step`'s Begin). Only one
 * of them is live; the others find no token, or one of a wait that began after the change, and are
 * dropped. If the live one's answer is lost, that wait finds the pulled-back voucher when it next runs.
 */
function withdrawalAnswers(step: ApprovalStep, redo: ApprovalStep[]): VoucherChange['answers'] {
  const answer = { error: APPROVAL_WITHDRAWN_ERROR, cause: step };
  return [
    ...redo.filter((later) => later !== step).map((later) => ({ step: later })),
    ...(['PAYMENT_DAY', 'PAYMENT', 'PAYMENT_RETRY'] as const).map((kind) => ({ kind })),
  ].map((wait) => ({ wait, answer }));
}

export interface CountersignItem {
  pending: PendingCountersign;
  voucher: Voucher;
}

/** The countersign page's list (the link is the approver's credential). */
export async function openCountersign(
  deps: AppDeps,
  token: string,
): Promise<{ approver: string; items: CountersignItem[] }> {
  const link = verifyLink(token, deps.linkKey, deps.clock.now(), 'countersign');
  const items: CountersignItem[] = [];
  for (const pending of await deps.store.approvals.pendingCountersigns(link.approver)) {
    const voucher = await deps.store.vouchers.get(pending.voucherId);
    if (voucher) items.push({ pending, voucher });
  }
  return { approver: link.approver, items };
}

/**
 * Countersigns every pending approval of the approver, except those refused; each refusal follows the
 * one rule of `refuseProxyApproval` (POLICY D6).
 */
export async function countersignAll(
  deps: AppDeps,
  token: string,
  input: { refuse: string[]; reason: string },
): Promise<{ countersigned: number; refused: number }> {
  const { approver, items } = await openCountersign(deps, token);
  let countersigned = 0;
  let refused = 0;
  for (const { pending } of items) {
    if (input.refuse.includes(pending.voucherId)) {
      await refuseProxyApproval(deps, { ...pending, approver, reason: input.reason });
      refused += 1;
      continue;
    }
    const { changed } = await changeVoucher(deps, pending.voucherId, (voucher) => {
      const at = toShanghaiIso(deps.clock.now());
      const settles = (approval: Approval) =>
        approval.step === pending.step &&
        approval.version === pending.version &&
        approval.countersign === 'PENDING' &&
        approval.withdrawn === undefined;
      // Settled meanwhile (refused from the email's link, say): nothing left to countersign.
      if (!(voucher.approvals ?? []).some(settles)) return null;
      return {
        action: 'COUNTERSIGN',
        actor: { kind: 'STEP_HOLDER', step: pending.step, holder: approver, by: approver },
        next: {
          ...voucher,
          approvals: (voucher.approvals ?? []).map((approval) =>
            settles(approval)
              ? { ...approval, countersign: 'COUNTERSIGNED' as const, countersignedAt: at }
              : approval,
          ),
        },
        event: {
          at,
          actor: approver,
          type: 'COUNTERSIGNED',
          version: pending.version,
          details: { step: pending.step },
        },
        effects: [{ kind: 'countersignSettled', pending }],
      };
    });
    if (changed) countersigned += 1;
  }
  return { countersigned, refused };
}

/** After payment (or once it cannot go back): finance and the CEO decide what to do (POLICY D6). */
async function escalateRefusal(
  deps: AppDeps,
  voucher: Voucher,
  pending: PendingCountersign,
  reason: string,
  inBankFile: boolean,
) {
  const people = await deps.store.people.listByEntity(voucher.entityId);
  const to = people
    .filter((person) => person.roles.includes('FINANCE_REVIEWER') || person.roles.includes('CEO'))
    .map((person) => person.email);
  await deps.mailer.send(
    (await emails()).countersignRefusedNotice({
      voucher,
      to,
      approver: pending.approver,
      proxy: pending.proxy,
      step: pending.step,
      status: voucher.status,
      reason,
      inBankFile,
      link: `${deps.publicBaseUrl}/vouchers/${voucher.id}`,
    }),
  );
}

/**
 * The weekly job: every approver with outstanding countersigns gets their one link again (POLICY D6).
 * EventBridge Scheduler runs it in AWS; locally `POST /api/dev/jobs/countersign-reminders`. Each day
 * and approver is claimed before their email, so a repeated delivery — even one at the same moment —
 * mails no one twice; a failed send gives that approver back to the retry, the others are done.
 */
export async function remindOutstandingCountersigns(
  deps: AppDeps,
  input: JobInput = {},
): Promise<{ date: string; reminded: string[]; alreadySent: string[] }> {
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const approvers = [
    ...new Set((await deps.store.approvals.pendingCountersigns()).map((pending) => pending.approver)),
  ];
  const result = { date, reminded: [] as string[], alreadySent: [] as string[] };
  const failures: unknown[] = [];
  for (const approver of approvers) {
    const outcome = await deps.store.jobRuns.claim('countersignReminders', `${date}#${approver}`, now);
    if (outcome.status !== 'CLAIMED') {
      result.alreadySent.push(approver);
      continue;
    }
    try {
      await sendCountersignRequest(deps, approver);
    } catch (error) {
      await deps.store.jobRuns.release(outcome.claim);
      failures.push(error);
      continue;
    }
    await deps.store.jobRuns.complete(outcome.claim, now, {});
    result.reminded.push(approver);
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures,
      `Countersign reminders of ${date}: ${failures.length} failed; a retry sends only those.`,
    );
  }
  return result;
}
