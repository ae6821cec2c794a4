import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { awaitInvoiceBatch } from '#lib/invoicing/batch-workflow.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { invoiceBatchRef, invoiceBatchTasks } from '#lib/workflow/invoice-batch-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

export const createHandler = (deps: AppDeps) =>
  taskHandler(
    deps,
    z.object({
      ...invoiceBatchRef,
      kind: z.enum(['ISSUED', 'MAILED']),
      taskToken: z.string().min(1),
    }),
    awaitInvoiceBatch,
  );
export const handler = lambdaTaskHandler(
  invoiceBatchTasks.awaitInvoiceBatch,
  { table, workflows },
  createHandler,
);
