import type { AppDeps } from '#lib/app.ts';
import { awaitSupplierInvoice } from '#lib/payments/payment-tasks.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { chaseInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, chaseInput, awaitSupplierInvoice);
export const handler = lambdaTaskHandler(
  voucherTasks.awaitSupplierInvoice,
  { table, mail, workflows },
  createHandler,
);
