import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { mailBatchToFinance } from '#lib/invoicing/batch-workflow.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { invoiceBatchRef, invoiceBatchTasks } from '#lib/workflow/invoice-batch-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

export const createHandler = (deps: AppDeps) =>
  taskHandler(deps, z.object(invoiceBatchRef), mailBatchToFinance);
export const handler = lambdaTaskHandler(
  invoiceBatchTasks.mailBatchToFinance,
  { table, mail },
  createHandler,
);
