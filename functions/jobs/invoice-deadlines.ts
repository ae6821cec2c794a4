import type { AppDeps } from '#lib/app.ts';
import { remindInvoiceDeadlines } from '#lib/invoicing/deadlines-job.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 09:00 (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, remindInvoiceDeadlines);
export const handler = lambdaTaskHandler(scheduledJobs.invoiceDeadlines, { table, mail }, createHandler);
