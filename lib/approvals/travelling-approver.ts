/**
 * The travelling approver (POLICY 2.2 note, D6). A proxy records the head of merchandising's or the
 * CEO's approval from their original consent email; the step is then approved "by email, awaiting
 * countersign" and the chain moves on — countersigns never block payment. Back in the office the
 * approver countersigns everything pending in one action from one email link; a refusal is escalated
 * to finance and the CEO.
 */
import PostalMime from 'postal-mime';
import type { AppDeps } from '../app.ts';
import { signLink, verifyLink } from '../domain/approval-links.ts';
import { assertConsentNamesVoucher } from '../domain/consent-email.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Approval, ApprovalStep, Person, Voucher } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import type { PendingCountersign } from '../storage/approval-repository.ts';
import { sniffWholeFile } from '../uploads/file-kinds.ts';
import { recordDecision } from './decide.ts';
import { message } from './emails.tsx';

/** POLICY D6: only these steps, never finance review or payment. */
const PROXY_STEPS: readonly ApprovalStep[] = ['HEAD_OF_MERCHANDISING', 'CEO'];

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
      'Only the head of merchandising and CEO steps can be approved by email (POLICY D6).',
      {
        issues: [{ path: 'step', message: 'HEAD_OF_MERCHANDISING or CEO' }],
      },
    );
  }
  const voucher = await deps.store.vouchers.get(voucherId);
  if (!voucher || voucher.entityId !== proxy.entityId) throw new NotFoundError(`No voucher ${voucherId}.`);
  const step = await deps.store.approvals.getStep(voucher.id, voucher.version, input.step);
  if (voucher.status !== 'IN_APPROVAL' || !step?.taskToken || step.decision) {
    throw new ConflictError(
      'NOT_WAITING',
      `The ${input.step} step of this voucher is not waiting for a decision.`,
    );
  }
  // 2. The proxy is a third person: not the applicant, not the approver (D18).
  if (proxy.email === voucher.applicant || proxy.email === step.assignee) {
    throw new ForbiddenError('The proxy must be someone other than the applicant and the approver.');
  }
  // 3. The consent email: the proxy's upload, from the approver, naming this voucher and amount.
  const upload = await deps.store.uploads.get(input.consentEmail);
  const raw = upload?.owner === proxy.email ? await deps.evidence.get(input.consentEmail) : null;
  // An email by its bytes, not by what its upload declared (DESIGN.md decision 15).
  const isEmail = raw !== null && (await sniffWholeFile(raw))?.name === 'eml';
  if (!upload || !raw || upload.contentType !== 'message/rfc822' || !isEmail) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_MISSING',
      'Upload the approver\u2019s original email (.eml) first.',
      {
        issues: [{ path: 'consentEmail', message: 'not an uploaded .eml of yours' }],
      },
    );
  }
  const email = await PostalMime.parse(raw);
  const from = email.from && 'address' in email.from ? (email.from.address ?? '') : '';
  assertConsentNamesVoucher(
    { from, subject: email.subject ?? '', text: email.text ?? '' },
    step.assignee,
    voucher,
  );
  // 4. Approved by email, awaiting countersign; the chain moves on.
  const approval: Approval = {
    step: input.step,
    version: voucher.version,
    decision: 'APPROVE',
    decidedBy: step.assignee,
    via: 'email-proxy',
    proxy: proxy.email,
    consentEmail: input.consentEmail,
    countersign: 'PENDING',
    decidedAt: toShanghaiIso(deps.clock.now()),
  };
  const next = await recordDecision(deps, {
    voucher,
    step,
    approval,
    actor: proxy.email,
    recheck: async () => {
      throw new ConflictError('ALREADY_DECIDED', 'The step was decided meanwhile; nothing was recorded.');
    },
  });
  await sendCountersignRequest(deps, step.assignee);
  return next;
}

const COUNTERSIGN_LINK_DAYS = 30;

/** One email, one link, for everything the approver has pending. */
export async function sendCountersignRequest(deps: AppDeps, approver: string): Promise<void> {
  const pending = await deps.store.approvals.pendingCountersigns(approver);
  if (pending.length === 0) return;
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + COUNTERSIGN_LINK_DAYS * 86_400;
  const token = signLink(
    { voucherId: '', version: 0, step: 'HEAD_OF_MERCHANDISING', approver, expiresAt, purpose: 'countersign' },
    deps.linkKey,
  );
  const link = `${deps.publicBaseUrl}/countersign/${token}`;
  await deps.mailer.send(
    message(
      [approver],
      `[fundflow] 待补签 Countersign ${pending.length} approval(s) given by email`,
      [
        `${pending.length} approval(s) were recorded from your emails while you were away (POLICY D6).`,
        'Open the link to countersign them all at once, or refuse any you did not give.',
      ],
      link,
    ),
  );
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
 * Countersigns every pending approval of the approver, except those refused; each refusal is
 * escalated to finance review and the CEO (POLICY D6).
 */
export async function countersignAll(
  deps: AppDeps,
  token: string,
  input: { refuse: string[]; reason: string },
): Promise<{ countersigned: number; refused: number }> {
  const { approver, items } = await openCountersign(deps, token);
  const at = toShanghaiIso(deps.clock.now());
  let countersigned = 0;
  let refused = 0;
  for (const { pending, voucher } of items) {
    const refusing = input.refuse.includes(pending.voucherId);
    const approvals = (voucher.approvals ?? []).map((approval) =>
      approval.step === pending.step &&
      approval.version === pending.version &&
      approval.countersign === 'PENDING'
        ? {
            ...approval,
            countersign: refusing ? ('REFUSED' as const) : ('COUNTERSIGNED' as const),
            countersignedAt: at,
          }
        : approval,
    );
    await deps.store.approvals.settleCountersign(
      pending,
      voucher,
      { ...voucher, approvals, revision: voucher.revision + 1, updatedAt: at },
      {
        at,
        actor: approver,
        type: refusing ? 'COUNTERSIGN_REFUSED' : 'COUNTERSIGNED',
        version: pending.version,
        details: { step: pending.step, ...(refusing ? { reason: input.reason } : {}) },
      },
    );
    if (refusing) {
      refused += 1;
      await escalateRefusal(deps, voucher, pending, input.reason);
    } else {
      countersigned += 1;
    }
  }
  return { countersigned, refused };
}

async function escalateRefusal(deps: AppDeps, voucher: Voucher, pending: PendingCountersign, reason: string) {
  const people = await deps.store.people.listByEntity(voucher.entityId);
  const to = people
    .filter((person) => person.roles.includes('FINANCE_REVIEWER') || person.roles.includes('CEO'))
    .map((person) => person.email);
  await deps.mailer.send(
    message(
      to,
      `[fundflow] 补签被拒 Countersign refused: ¥${formatFen(voucher.amountFen)} → ${voucher.supplierName}`,
      [
        `${pending.approver} refused to countersign the ${pending.step} approval recorded by ${pending.proxy} from their email (POLICY D6).`,
        `Voucher ${voucher.id}, status ${voucher.status}. Reason: ${reason || '(none given)'}`,
      ],
      `${deps.publicBaseUrl}/vouchers/${voucher.id}`,
    ),
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
