import type { AppDeps } from '../app.ts';
import { type ApprovalLink, signLink } from '../domain/approval-links.ts';

/** `/approvals/<signed link>` for one approver, valid for `validDays` days. */
export function approvalPath(
  deps: Pick<AppDeps, 'linkKey' | 'clock'>,
  link: Omit<ApprovalLink, 'expiresAt' | 'purpose'>,
  validDays: number,
): string {
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + validDays * 86_400;
  return `/approvals/${signLink({ ...link, expiresAt, purpose: 'decide' }, deps.linkKey)}`;
}

/** An absolute approval link for one approver (an email's), valid for the policy's number of days. */
export function approvalUrl(
  deps: Pick<AppDeps, 'linkKey' | 'publicBaseUrl' | 'clock'>,
  link: Omit<ApprovalLink, 'expiresAt' | 'purpose'>,
  validDays: number,
): string {
  return `${deps.publicBaseUrl}${approvalPath(deps, link, validDays)}`;
}
