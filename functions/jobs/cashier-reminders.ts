import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { remindUnpaidRuns } from '#lib/payments/cashier-reminders.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled daily at 17:30 (EventBridge Scheduler, Asia/Shanghai); the event carries nothing it needs. */
export const createHandler = (deps: AppDeps) =>
  taskHandler(deps, z.unknown(), (handlerDeps) => remindUnpaidRuns(handlerDeps));
export const handler = lambdaTaskHandler(createHandler);
