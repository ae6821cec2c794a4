import type { AppDeps } from '#lib/app.ts';
import { awaitPaymentDay } from '#lib/payments/payment-tasks.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { waitInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, waitInput, awaitPaymentDay);
export const handler = lambdaTaskHandler(voucherTasks.awaitPaymentDay, { table, workflows }, createHandler);
