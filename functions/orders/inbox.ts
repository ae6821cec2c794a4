import type { AppDeps } from '#lib/app.ts';
import { importInboxEvent, inboxEvent } from '#lib/orders/inbox-event.ts';
import { lambdaTaskHandler } from '#lib/runtime/aws-deps.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Invoked by the evidence bucket's notification for objects put under `evidence/orders-inbox/`. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, inboxEvent, importInboxEvent);
export const handler = lambdaTaskHandler(createHandler);
