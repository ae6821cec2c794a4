/**
 * Email approval links (DESIGN.md decision 4): HMAC-signed, expiring, single-purpose, bound to one
 * approver, one voucher version and one step. The link carries no task token — the token stays in
 * the table — so a link in a mailbox, a proxy log or a browser history can decide at most that one
 * step, and only until it expires or is decided.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.ts';
import type { ApprovalStep } from './model.ts';

export interface ApprovalLink {
  voucherId: string;
  version: number;
  step: ApprovalStep;
  approver: string;
  /** Epoch seconds. */
  expiresAt: number;
  /**
   * `decide` one step; `countersign` everything the approver approved through a proxy (D6);
   * `refuse-proxy` refuse the one approval a proxy recorded in the approver's name (D6).
   */
  purpose: 'decide' | 'countersign' | 'refuse-proxy';
}

export type LinkProblem = 'TAMPERED' | 'EXPIRED';

export class ApprovalLinkError extends AppError {
  readonly statusCode: number;
  readonly code: string;
  constructor(readonly problem: LinkProblem) {
    super(
      problem === 'EXPIRED'
        ? '这个审批链接已过期，请申请人或财务重新发送。This approval link has expired. Ask the applicant or finance to send a new one.'
        : '这个审批链接无效，请按邮件中原样打开。This approval link is not valid. Open the link exactly as it arrived in your email.',
    );
    this.statusCode = problem === 'EXPIRED' ? 410 : 400;
    this.code = problem === 'EXPIRED' ? 'LINK_EXPIRED' : 'LINK_INVALID';
  }
}

function mac(body: string, key: string, purpose: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\n${body}`).digest();
}

export function signLink(link: ApprovalLink, key: string): string {
  const body = Buffer.from(
    JSON.stringify([link.voucherId, link.version, link.step, link.approver, link.expiresAt, link.purpose]),
  ).toString('base64url');
  return `${body}.${mac(body, key, 'approval-link').toString('base64url')}`;
}

export function verifyLink(
  token: string,
  key: string,
  now: Date,
  expectedPurpose: ApprovalLink['purpose'] = 'decide',
): ApprovalLink {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) throw new ApprovalLinkError('TAMPERED');
  // The signature is compared as the text it is written in, not as the bytes it decodes to: the last
  // of its 43 characters carries 4 bits, so four spellings decode alike, and only the one we write is
  // a link we sent.
  const expected = Buffer.from(mac(body, key, 'approval-link').toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ApprovalLinkError('TAMPERED');
  const [voucherId, version, step, approver, expiresAt, purpose] = JSON.parse(
    Buffer.from(body, 'base64url').toString('utf8'),
  ) as [string, number, ApprovalStep, string, number, ApprovalLink['purpose']];
  // A link made for one purpose never serves another.
  if (purpose !== expectedPurpose) throw new ApprovalLinkError('TAMPERED');
  if (expiresAt * 1000 <= now.getTime()) throw new ApprovalLinkError('EXPIRED');
  return { voucherId, version, step, approver, expiresAt, purpose };
}

/** A nonce for the decision form, bound to its link (the page that rendered it). */
export function formNonce(token: string, key: string): string {
  return mac(token, key, 'approval-form').toString('base64url');
}

export function verifyFormNonce(token: string, nonce: string, key: string): boolean {
  const expected = Buffer.from(formNonce(token, key));
  const given = Buffer.from(nonce);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
