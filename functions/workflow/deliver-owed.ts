import type { AppDeps } from '#lib/app.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { streamConsumers } from '#lib/workflow/catalogue.ts';
import { deliverOwedAt } from '#lib/workflow/outbox.ts';
import { streamHandler } from '#lib/workflow/stream-handler.ts';

/**
 * The workflow outbox's dispatcher: the table's stream (KEYS_ONLY, filtered to outbox items as they
 * are inserted) names an owed delivery; it is delivered if still owed. Locally the runtime calls the
 * same handler after each write and at start-up.
 */
export const createHandler = (deps: AppDeps) => streamHandler(deps, deliverOwedAt);
export const handler = lambdaTaskHandler(streamConsumers.deliverOwed, { table, workflows }, createHandler);
