import type { AppDeps } from '#lib/app.ts';
import { dailyExportJob } from '#lib/exports/daily-export.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 17:30 (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, dailyExportJob);
export const handler = lambdaTaskHandler(scheduledJobs.dailyExport, { table, mail, evidence }, createHandler);
