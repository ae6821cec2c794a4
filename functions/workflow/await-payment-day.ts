import type { AppDeps } from '#lib/app.ts';
import { awaitPaymentDay } from '#lib/payments/payment-tasks.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { waitInput } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, waitInput, awaitPaymentDay);
export const handler = lambdaTaskHandler(createHandler);
