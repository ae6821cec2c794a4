import type { AppDeps } from '#lib/app.ts';
import { remindOutstandingCountersigns } from '#lib/approvals/travelling-approver.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { linkKey } from '#lib/runtime/adapters/link-key.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled weekly (EventBridge Scheduler, Asia/Shanghai), with the occurrence's time. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, remindOutstandingCountersigns);
export const handler = lambdaTaskHandler(
  scheduledJobs.countersignReminders,
  { table, mail, linkKey },
  createHandler,
);
