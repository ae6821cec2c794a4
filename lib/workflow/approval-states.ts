/**
 * The approval workflow's state names and task functions, defined once: infra/ builds the state
 * machine with these names, and the local runtime maps the same names to the same handlers when it
 * runs the synthesized definition.
 */
import type { ApprovalStep } from '../domain/model.ts';
import type { FunctionSpec } from '../http/routes.ts';
import { OUTBOX_PARTITION } from '../platform/owed-deliveries.ts';

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

export const workflowFunctions = {
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
    needs: { table: 'readWrite', mail: true, linkKey: true, taskResponse: true },
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
    needs: { table: 'readWrite', taskResponse: true },
  },
  awaitPayment: {
    entry: 'functions/workflow/await-payment.ts',
    description: 'Payment: keep the cashier step\u2019s task token (or answer from the voucher).',
    needs: { table: 'readWrite', taskResponse: true },
  },
  awaitPaymentRetry: {
    entry: 'functions/workflow/await-payment-retry.ts',
    description: 'Payment: keep the token of finance\u2019s decision after a failed payment.',
    needs: { table: 'readWrite', taskResponse: true },
  },
  awaitSupplierInvoice: {
    entry: 'functions/workflow/await-supplier-invoice.ts',
    description: 'Supplier invoice chase: ask, remind weekly, escalate to finance (POLICY D9).',
    needs: { table: 'readWrite', mail: true, taskResponse: true },
  },
} as const satisfies Record<string, FunctionSpec>;

export type WorkflowFunctionName = keyof typeof workflowFunctions;

/** A job's schedule: a cron in Asia/Shanghai, or a rate (every n minutes, for work that is never late). */
export type JobSchedule =
  | { cron: { minute: string; hour: string; weekDay: string } }
  | { everyMinutes: number };

/** Scheduled jobs (EventBridge Scheduler in Asia/Shanghai; locally the runtime's scheduler, or by hand). */
export const scheduledJobs = {
  countersignReminders: {
    entry: 'functions/jobs/countersign-reminders.ts',
    description: 'Weekly: remind approvers of outstanding countersigns (POLICY D6).',
    // readWrite: it records (claims) the day it has done, so a repeated delivery sends nothing again.
    needs: { table: 'readWrite', mail: true, linkKey: true },
    /** Mondays 09:00 Asia/Shanghai. */
    cron: { minute: '0', hour: '9', weekDay: 'MON' },
  },
  cashierReminders: {
    entry: 'functions/jobs/cashier-reminders.ts',
    description:
      'Working days, end of day: unpaid vouchers of the day\u2019s run go to the cashier, escalated to finance.',
    needs: { table: 'readWrite', mail: true },
    /** Every day 17:30 Asia/Shanghai; the job does nothing on a non-working day (the calendar decides). */
    cron: { minute: '30', hour: '17', weekDay: '*' },
  },
  dailyExport: {
    entry: 'functions/jobs/daily-export.ts',
    description:
      'Working days 17:30: each entity\u2019s daily export of the orders completed and recorded since its previous one (POLICY 3.1, D10).',
    // readWrite: it claims the (day, entity) unit and records the export; evidence write: its files.
    needs: { table: 'readWrite', mail: true, evidence: 'write' },
    /** Every day 17:30 Asia/Shanghai (DEFAULT_POLICY.dailyExportTime); nothing on a non-working day. */
    cron: { minute: '30', hour: '17', weekDay: '*' },
  },
  sweepOwedDeliveries: {
    entry: 'functions/jobs/sweep-owed-deliveries.ts',
    description:
      'Every minute: delivers to the approval workflow what a change has owed it for over a minute (lib/workflow/outbox.ts).',
    // Starts executions and answers waits, as the stream's dispatcher does; deletes what it delivered.
    needs: { table: 'readWrite', startWorkflow: true, taskResponse: true },
    everyMinutes: 1,
  },
} as const satisfies Record<string, FunctionSpec & JobSchedule>;

export type ScheduledJobName = keyof typeof scheduledJobs;

/**
 * Consumers of the table's stream: a Lambda event source mapping each, filtered to the records it
 * handles, so nothing else of the table ever invokes it. Locally the runtime drives the same handler.
 */
export const streamConsumers = {
  deliverOwed: {
    entry: 'functions/workflow/deliver-owed.ts',
    description:
      'The workflow outbox: starts the approval execution or answers the wait that a change owes (lib/workflow/outbox.ts).',
    needs: { table: 'readWrite', startWorkflow: true, taskResponse: true },
    /** Items of this partition, as they are inserted (not their updates, nor their deletion). */
    filter: { eventName: 'INSERT', partitionKey: OUTBOX_PARTITION },
  },
} as const satisfies Record<
  string,
  FunctionSpec & { filter: { eventName: 'INSERT' | 'MODIFY' | 'REMOVE'; partitionKey: string } }
>;

export type StreamConsumerName = keyof typeof streamConsumers;

/**
 * Consumers of objects put into the evidence bucket under a prefix: an S3 event notification each
 * (object created, that prefix only). Locally the runtime watches the same folder of the data folder.
 */
export const bucketConsumers = {
  ordersInbox: {
    entry: 'functions/orders/inbox.ts',
    description:
      'Orders by file drop: a CSV put into an entity\u2019s orders inbox is imported as by POST /api/orders/import, its result stored beside it.',
    // evidence readWrite: it reads the dropped file and writes its result beside it.
    needs: { table: 'readWrite', evidence: 'readWrite' },
    /** `evidence/orders-inbox/<entityId>/<file>` (lib/orders/file-drop.ts ORDERS_INBOX_PREFIX). */
    prefix: 'evidence/orders-inbox/',
  },
} as const satisfies Record<string, FunctionSpec & { prefix: string }>;

/** Which function each Task state runs. */
export function taskFunctionOf(stateName: string): WorkflowFunctionName | undefined {
  if (stateName === approvalStates.start) return 'startApproval';
  if (stateName === approvalStates.markReady) return 'markReadyForPayment';
  if (stateName === approvalStates.recordRejection) return 'recordRejection';
  if (stateName === approvalStates.recordPaymentReturn) return 'recordRejection';
  if (stateName === approvalStates.waitForPaymentDay) return 'awaitPaymentDay';
  if (stateName === approvalStates.awaitPayment) return 'awaitPayment';
  if (stateName === approvalStates.awaitFinanceAfterFailedPayment) return 'awaitPaymentRetry';
  if (stateName === approvalStates.awaitSupplierInvoice) return 'awaitSupplierInvoice';
  for (const step of HUMAN_STEPS) {
    const names = approvalStates.step(step);
    if (stateName === names.plan) return 'planReminder';
    if (stateName === names.request) return 'requestApproval';
  }
  return undefined;
}

/** Task states that wait for a callback (`.waitForTaskToken`). */
export function isCallbackState(stateName: string): boolean {
  return (
    HUMAN_STEPS.some((step) => approvalStates.step(step).request === stateName) ||
    stateName === approvalStates.waitForPaymentDay ||
    stateName === approvalStates.awaitPayment ||
    stateName === approvalStates.awaitFinanceAfterFailedPayment ||
    stateName === approvalStates.awaitSupplierInvoice
  );
}

/** The end states of an execution: the voucher closed, or rejected (in approval or after payment). */
export const END_STATES = [approvalStates.closed, approvalStates.rejected] as const;
