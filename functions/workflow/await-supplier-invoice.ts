import type { AppDeps } from '#lib/app.ts';
import { awaitSupplierInvoice } from '#lib/payments/payment-tasks.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { chaseInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, chaseInput, awaitSupplierInvoice);
export const handler = lambdaTaskHandler(createHandler);
