import type { AppDeps } from '#lib/app.ts';
import { importInboxEvent, inboxEvent } from '#lib/orders/inbox-event.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { bucketConsumers } from '#lib/workflow/catalogue.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

/** Invoked by the evidence bucket's object-created events for objects put under `evidence/orders-inbox/`. */
export const createHandler = (deps: AppDeps) => taskHandler(deps, inboxEvent, importInboxEvent);
export const handler = lambdaTaskHandler(bucketConsumers.ordersInbox, { table, evidence }, createHandler);
