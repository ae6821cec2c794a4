/**
 * The approvals waiting for one person — the steps they hold that the chain is at now (POLICY 2.2,
 * D6) — each with a freshly signed link to its confirmation page, which still needs its own click:
 * being signed in changes nothing about what a link may do (DESIGN.md decision 4). Served by the
 * `vouchersAwaiting` index (docs/data-model.md), each voucher checked again as it is.
 */
import type { AppDeps } from '../app.ts';
import { whoVoucherAwaits } from '../domain/awaiting.ts';
import type { ApprovalStep, Voucher } from '../domain/model.ts';
import { approvalPath } from './links.ts';

/**
 * How long a link signed for a page (the home page, "next voucher waiting for you") lasts: long enough
 * to open it from that page, short beside an emailed link's two weeks.
 */
export const PAGE_LINK_DAYS = 1;

export interface AwaitingApproval {
  voucher: Voucher;
  step: ApprovalStep;
  /** `/approvals/<signed link>` for `approver`, this voucher version and step. */
  link: string;
}

/** The approvals `approver` holds that wait for their decision now, the longest waiting first. */
export async function approvalsAwaiting(deps: AppDeps, approver: string): Promise<AwaitingApproval[]> {
  return approvalsAmong(deps, approver, await deps.store.vouchers.awaiting(approver, 'DECIDE_STEP'));
}

/** Of vouchers read from the index for `approver`, those whose step they hold waits now, with its link. */
export function approvalsAmong(
  deps: Pick<AppDeps, 'linkKey' | 'clock'>,
  approver: string,
  vouchers: readonly Voucher[],
): AwaitingApproval[] {
  return vouchers.flatMap((voucher) => {
    // The index is a moment behind the table: trust only what the voucher itself says.
    const awaited = whoVoucherAwaits(voucher);
    if (awaited?.email !== approver || !awaited.step) return [];
    const link = approvalPath(
      deps,
      { voucherId: voucher.id, version: voucher.version, step: awaited.step, approver },
      PAGE_LINK_DAYS,
    );
    return [{ voucher, step: awaited.step, link }];
  });
}

/** The next approval waiting for `approver` after deciding `decided` (a voucher it is not). */
export async function nextApprovalFor(
  deps: AppDeps,
  approver: string,
  decided: string,
): Promise<AwaitingApproval | null> {
  return (await approvalsAwaiting(deps, approver)).find((item) => item.voucher.id !== decided) ?? null;
}
