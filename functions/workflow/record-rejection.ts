import type { AppDeps } from '#lib/app.ts';
import { recordRejection } from '#lib/approvals/workflow-tasks.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';
import { rejectionRef } from '#lib/workflow/task-schemas.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, rejectionRef, recordRejection);
export const handler = lambdaTaskHandler(createHandler);
