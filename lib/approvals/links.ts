import type { AppDeps } from '../app.ts';
import { type ApprovalLink, signLink } from '../domain/approval-links.ts';

/** An absolute approval link for one approver, valid for the policy's number of days. */
export function approvalUrl(
  deps: Pick<AppDeps, 'linkKey' | 'publicBaseUrl' | 'clock'>,
  link: Omit<ApprovalLink, 'expiresAt' | 'purpose'>,
  validDays: number,
): string {
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + validDays * 86_400;
  return `${deps.publicBaseUrl}/approvals/${signLink({ ...link, expiresAt, purpose: 'decide' }, deps.linkKey)}`;
}
