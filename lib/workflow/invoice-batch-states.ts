/**
 * The invoice batch workflow's state names, waits and task functions, defined once (POLICY 4, D12,
 * D13): its construct (infra/constructs/invoice-batch-workflow.ts) builds the state machine with these
 * names, the catalogue (lib/workflow/catalogue.ts) lists its task functions, the close starts it and a
 * line's change answers its waits (lib/platform/change.ts).
 */
import * as z from 'zod';
import type { LocalDate } from '../domain/model.ts';
import type { FunctionSpec } from '../http/routes.ts';
import type { WorkflowStart } from '../platform/owed-deliveries.ts';

/** What the batch workflow is started with: one execution per (entity, batch day). */
export interface InvoiceBatchInput {
  entityId: string;
  batchDate: LocalDate;
}

/** `<entityId>-<batchDate>`: a rerun of the close starts nothing new. */
export function invoiceBatchExecutionName(input: InvoiceBatchInput): string {
  return `${input.entityId}-${input.batchDate}`;
}

/** The start of a closed batch's workflow, for the close's transaction (the outbox). */
export function invoiceBatchWorkflowStart(input: InvoiceBatchInput): WorkflowStart {
  return {
    machine: 'invoiceBatch',
    executionName: invoiceBatchExecutionName(input),
    input: { entityId: input.entityId, batchDate: input.batchDate },
  };
}

// The batch's waits in the wait store (lib/platform/store.ts, beside the voucher's).
export { type InvoiceBatchWaitKind, invoiceBatchAggregate, invoiceBatchWait } from '../platform/store.ts';

export const invoiceBatchStates = {
  mailFinance: 'MailFinance',
  waitForDueDay: 'WaitForDueDay',
  remindFinance: 'RemindFinance',
  linesLeftAfterReminder: 'LinesLeftAfterReminder',
  waitForEscalationDay: 'WaitForEscalationDay',
  escalateFinance: 'EscalateFinance',
  linesLeftAfterEscalation: 'LinesLeftAfterEscalation',
  awaitIssued: 'AwaitIssued',
  awaitMailed: 'AwaitMailed',
  done: 'Done',
} as const;

/** The invoice batch workflow's task functions (its construct decides which states run them). */
export const invoiceBatchTasks = {
  mailBatchToFinance: {
    entry: 'functions/workflow/invoice-batch-mail-finance.ts',
    description:
      'Invoice batch: the closed batch goes to finance, emailed once with its page and the 《开票申请表》 (D12).',
    needs: { table: 'readWrite', mail: true },
  },
  tellFinanceOfDeadline: {
    entry: 'functions/workflow/invoice-batch-deadline.ts',
    description:
      'Invoice batch: 09:00 on the due day finance is reminded, the working day after escalated, while lines remain (D13).',
    needs: { table: 'readWrite', mail: true },
  },
  awaitInvoiceBatch: {
    entry: 'functions/workflow/invoice-batch-await.ts',
    description:
      'Invoice batch: keep the task token until every line is issued or returned, then every issued one mailed.',
    needs: { table: 'readWrite', workflows: { invoiceBatch: 'answer' } },
  },
} as const satisfies Record<string, FunctionSpec>;

export type InvoiceBatchTaskName = keyof typeof invoiceBatchTasks;

/** The fields every task of the batch workflow is given (zod shape for the task functions). */
export const invoiceBatchRef = {
  entityId: z.string().min(1),
  batchDate: z.iso.date(),
};
