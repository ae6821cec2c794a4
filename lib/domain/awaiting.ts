/**
 * Whom a voucher waits for, and to do what — the "待我处理 Waiting for me" of each person: the holder of
 * the step it is at (POLICY 2.2, D6: after a refused proxy approval, the step it went back to), its
 * applicant when it came back rejected or returned (D19), its applicant again once paid until the
 * supplier's invoice is recorded (2.1(3), D9). Work that waits for a role rather than a person (the
 * cashier's run, finance after a failed payment) is found by status, not here.
 */
import { standingApproval } from './approval-rules.ts';
import type { ApprovalStep, Voucher } from './model.ts';

export type AwaitedAction = 'DECIDE_STEP' | 'EDIT_AND_RESUBMIT' | 'RECORD_INVOICE';

export interface Awaited {
  email: string;
  action: AwaitedAction;
  /** The step to decide (DECIDE_STEP). */
  step?: ApprovalStep;
}

export function whoVoucherAwaits(
  voucher: Pick<Voucher, 'status' | 'applicant' | 'route' | 'approvals' | 'version'>,
): Awaited | null {
  switch (voucher.status) {
    case 'IN_APPROVAL': {
      // The first human step of the route whose approval does not stand (decided in order).
      const step = voucher.route.steps.find(
        (candidate) => candidate.step !== 'PAYMENT' && !standingApproval(voucher, candidate.step),
      );
      return step ? { email: step.assignee, action: 'DECIDE_STEP', step: step.step } : null;
    }
    case 'REJECTED':
      return { email: voucher.applicant, action: 'EDIT_AND_RESUBMIT' };
    case 'PAID':
      return { email: voucher.applicant, action: 'RECORD_INVOICE' };
    default:
      return null;
  }
}
