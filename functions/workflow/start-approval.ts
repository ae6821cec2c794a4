import type { AppDeps } from '#lib/app.ts';
import { startApproval } from '#lib/approvals/workflow-tasks.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { voucherRef } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, voucherRef, startApproval);
export const handler = lambdaTaskHandler(voucherTasks.startApproval, { table }, createHandler);
