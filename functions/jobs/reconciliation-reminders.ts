import type { AppDeps } from '#lib/app.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { remindReconciliations } from '#lib/reconciliation/reminders-job.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 10:00 (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, remindReconciliations);
export const handler = lambdaTaskHandler(
  scheduledJobs.reconciliationReminders,
  { table, mail },
  createHandler,
);
