import type { AppDeps } from '#lib/app.ts';
import { awaitPaymentRetry } from '#lib/payments/payment-tasks.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { waitInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, waitInput, awaitPaymentRetry);
export const handler = lambdaTaskHandler(voucherTasks.awaitPaymentRetry, { table, workflows }, createHandler);
