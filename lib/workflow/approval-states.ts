/**
 * The approval workflow's state names and task functions, defined once: infra/ builds the state
 * machine with these names, and the local runtime maps the same names to the same handlers when it
 * runs the synthesized definition.
 */
import type { ApprovalStep } from '../domain/model.ts';
import type { FunctionSpec } from '../http/routes.ts';

export type HumanStep = Exclude<ApprovalStep, 'PAYMENT'>;

const STEP_NAMES: Record<HumanStep, string> = {
  HEAD_OF_MERCHANDISING: 'HeadOfMerchandising',
  CEO: 'Ceo',
  FINANCE_REVIEW: 'FinanceReview',
};

export const approvalStates = {
  start: 'StartApproval',
  needsCeo: 'NeedsCeo',
  markReady: 'MarkReadyForPayment',
  recordRejection: 'RecordRejection',
  readyForPayment: 'ReadyForPayment',
  rejected: 'Rejected',
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
    description: 'Approval workflow: finance reviewed; ready for the payment run.',
    needs: { table: 'readWrite' },
  },
} as const satisfies Record<string, FunctionSpec>;

export type WorkflowFunctionName = keyof typeof workflowFunctions;

/** Scheduled jobs (EventBridge Scheduler in Asia/Shanghai; run by hand locally). */
export const scheduledJobs = {
  countersignReminders: {
    entry: 'functions/jobs/countersign-reminders.ts',
    description: 'Weekly: remind approvers of outstanding countersigns (POLICY D6).',
    needs: { table: 'read', mail: true, linkKey: true },
    /** Mondays 09:00 Asia/Shanghai. */
    cron: { minute: '0', hour: '9', weekDay: 'MON' },
  },
} as const satisfies Record<
  string,
  FunctionSpec & { cron: { minute: string; hour: string; weekDay: string } }
>;

/** Which function each Task state runs. */
export function taskFunctionOf(stateName: string): WorkflowFunctionName | undefined {
  if (stateName === approvalStates.start) return 'startApproval';
  if (stateName === approvalStates.markReady) return 'markReadyForPayment';
  if (stateName === approvalStates.recordRejection) return 'recordRejection';
  for (const step of HUMAN_STEPS) {
    const names = approvalStates.step(step);
    if (stateName === names.plan) return 'planReminder';
    if (stateName === names.request) return 'requestApproval';
  }
  return undefined;
}

/** Task states that wait for a callback (`.waitForTaskToken`). */
export function isCallbackState(stateName: string): boolean {
  return HUMAN_STEPS.some((step) => approvalStates.step(step).request === stateName);
}
