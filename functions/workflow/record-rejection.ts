import type { AppDeps } from '#lib/app.ts';
import { recordRejection } from '#lib/approvals/workflow-tasks.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { voucherTasks } from '#lib/workflow/approval-states.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { rejectionRef } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, rejectionRef, recordRejection);
export const handler = lambdaTaskHandler(voucherTasks.recordRejection, { table, mail }, createHandler);
