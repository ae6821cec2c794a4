import type { AppDeps } from '#lib/app.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { remindUnpaidRuns } from '#lib/payments/cashier-reminders.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 17:30 (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, remindUnpaidRuns);
export const handler = lambdaTaskHandler(createHandler);
