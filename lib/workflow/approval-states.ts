/**
 * The voucher workflow's state names, errors and task functions, defined once: its construct
 * (infra/constructs/voucher-workflow.ts) builds the state machine with these names, and the catalogue
 * (lib/workflow/catalogue.ts) lists its task functions. The local runtime reads which state runs which
 * handler from the synthesized definition itself.
 */
import type { ApprovalStep } from '../domain/model.ts';
import type { FunctionSpec } from '../http/routes.ts';
import type { WorkflowStart } from '../platform/owed-deliveries.ts';

/** What the voucher workflow is started with: one execution per voucher version. */
export interface ApprovalInput {
  voucherId: string;
  version: number;
}

/** Execution names make starting idempotent: one execution per voucher version. */
export function executionName(input: ApprovalInput): string {
  return `${input.voucherId}-v${input.version}`;
}

/** The start of a submitted (or resubmitted) version's voucher workflow, for the outbox. */
export function voucherWorkflowStart(input: ApprovalInput): WorkflowStart {
  return {
    machine: 'voucher',
    executionName: executionName(input),
    input: { voucherId: input.voucherId, version: input.version },
  };
}

/** The error a waiting task fails with when its voucher is rejected (Catch → RecordRejection). */
export const REJECTED_ERROR = 'VoucherRejected';
/** The error the cashier's step fails with when a payment fails (Catch → finance decides). */
export const PAYMENT_FAILED_ERROR = 'PaymentFailed';
/**
 * The error a later wait fails with when the approver refused a proxy approval before payment (POLICY
 * D6): its cause is the refused step, and the Catch goes back to that step's Begin state.
 */
export const APPROVAL_WITHDRAWN_ERROR = 'ApprovalWithdrawn';

export type HumanStep = Exclude<ApprovalStep, 'PAYMENT'>;

const STEP_NAMES: Record<HumanStep, string> = {
  HEAD_OF_MERCHANDISING: 'HeadOfMerchandising',
  CEO: 'Ceo',
  FINANCE_REVIEW: 'FinanceReview',
};

export const approvalStates = {
  start: 'StartApproval',
  needsCeo: 'NeedsCeo',
  /** POLICY D6: a refused proxy approval sends the workflow back to the refused step. */
  backToWithdrawnStep: 'BackToWithdrawnStep',
  markReady: 'MarkReadyForPayment',
  recordRejection: 'RecordRejection',
  rejected: 'Rejected',
  // After finance review (POLICY 2.2(3), 2.1(3), D3–D5, D9):
  waitForPaymentDay: 'WaitForPaymentDay',
  awaitPayment: 'AwaitPayment',
  awaitFinanceAfterFailedPayment: 'AwaitFinanceAfterFailedPayment',
  recordPaymentReturn: 'RecordPaymentReturn',
  beginSupplierInvoice: 'BeginSupplierInvoice',
  awaitSupplierInvoice: 'AwaitSupplierInvoice',
  remindSupplierInvoice: 'RemindSupplierInvoice',
  closed: 'Closed',
  step(step: HumanStep) {
    const name = STEP_NAMES[step];
    return {
      begin: `Begin${name}`,
      plan: `Plan${name}Reminder`,
      request: `Request${name}Decision`,
      remind: `Remind${name}`,
    };
  },
} as const;

export const HUMAN_STEPS: readonly HumanStep[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW'];

/** The voucher workflow's task functions (its construct decides which states run them). */
export const voucherTasks = {
  startApproval: {
    entry: 'functions/workflow/start-approval.ts',
    description: 'Approval workflow: the voucher version enters its chain.',
    needs: { table: 'readWrite' },
  },
  planReminder: {
    entry: 'functions/workflow/plan-reminder.ts',
    description: 'Approval workflow: when to remind an approver (one working day).',
    needs: { table: 'read' },
  },
  requestApproval: {
    entry: 'functions/workflow/request-approval.ts',
    description:
      'Approval workflow: keep the task token, email the approver (request, reminder, escalation).',
    needs: { table: 'readWrite', mail: true, linkKey: true, workflows: { voucher: 'answer' } },
  },
  recordRejection: {
    entry: 'functions/workflow/record-rejection.ts',
    description: 'Approval workflow: release a rejected version\u2019s claims and tell the applicant.',
    needs: { table: 'readWrite', mail: true },
  },
  markReadyForPayment: {
    entry: 'functions/workflow/mark-ready.ts',
    description: 'Approval workflow: finance reviewed; the noon cutoff gives the payment run.',
    needs: { table: 'readWrite' },
  },
  awaitPaymentDay: {
    entry: 'functions/workflow/await-payment-day.ts',
    description:
      'Payment: wait for the payment day\u2019s run to open, or a pull into today\u2019s run (D5).',
    needs: { table: 'readWrite', workflows: { voucher: 'answer' } },
  },
  awaitPayment: {
    entry: 'functions/workflow/await-payment.ts',
    description: 'Payment: keep the cashier step\u2019s task token (or answer from the voucher).',
    needs: { table: 'readWrite', workflows: { voucher: 'answer' } },
  },
  awaitPaymentRetry: {
    entry: 'functions/workflow/await-payment-retry.ts',
    description: 'Payment: keep the token of finance\u2019s decision after a failed payment.',
    needs: { table: 'readWrite', workflows: { voucher: 'answer' } },
  },
  awaitSupplierInvoice: {
    entry: 'functions/workflow/await-supplier-invoice.ts',
    description: 'Supplier invoice chase: ask, remind weekly, escalate to finance (POLICY D9).',
    needs: { table: 'readWrite', mail: true, workflows: { voucher: 'answer' } },
  },
} as const satisfies Record<string, FunctionSpec>;

export type VoucherTaskName = keyof typeof voucherTasks;

/** The end states of an execution: the voucher closed, or rejected (in approval or after payment). */
export const END_STATES = [approvalStates.closed, approvalStates.rejected] as const;
