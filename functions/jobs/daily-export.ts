import type { AppDeps } from '#lib/app.ts';
import { dailyExportJob } from '#lib/exports/daily-export.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 17:30 (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, dailyExportJob);
export const handler = lambdaTaskHandler(createHandler);
