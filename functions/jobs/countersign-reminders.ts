import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { remindOutstandingCountersigns } from '#lib/approvals/travelling-approver.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Scheduled weekly (EventBridge Scheduler, Asia/Shanghai); the event carries nothing it needs. */
export const createHandler = (deps: AppDeps) =>
  taskHandler(deps, z.unknown(), (handlerDeps) => remindOutstandingCountersigns(handlerDeps));
export const handler = lambdaTaskHandler(createHandler);
