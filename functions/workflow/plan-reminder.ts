import type { AppDeps } from '#lib/app.ts';
import { planReminder } from '#lib/approvals/workflow-tasks.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { attemptRef } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, attemptRef, planReminder);
export const handler = lambdaTaskHandler(voucherTasks.planReminder, { table }, createHandler);
