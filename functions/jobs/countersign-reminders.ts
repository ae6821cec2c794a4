import type { AppDeps } from '#lib/app.ts';
import { remindOutstandingCountersigns } from '#lib/approvals/travelling-approver.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled weekly (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, remindOutstandingCountersigns);
export const handler = lambdaTaskHandler(createHandler);
