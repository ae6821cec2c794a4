import type { AppDeps } from '#lib/app.ts';
import { jobInput } from '#lib/jobs/job-input.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { scheduledJobs } from '#lib/workflow/catalogue.ts';
import { sweepOwedDeliveries } from '#lib/workflow/outbox.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Every minute (EventBridge Scheduler): delivers what has been owed to the workflow for over a minute. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, jobInput, sweepOwedDeliveries);
export const handler = lambdaTaskHandler(
  scheduledJobs.sweepOwedDeliveries,
  { table, workflows },
  createHandler,
);
