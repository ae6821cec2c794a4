import type { AppDeps } from '#lib/app.ts';
import { closeDueInvoiceBatches } from '#lib/invoicing/batch-close-job.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, closeDueInvoiceBatches);
export const handler = lambdaTaskHandler(scheduledJobs.invoiceBatchCloseAgain, { table }, createHandler);
