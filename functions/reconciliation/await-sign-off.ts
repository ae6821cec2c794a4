import type { AppDeps } from '#lib/app.ts';
import { awaitSignOff } from '#lib/reconciliation/run-tasks.ts';
import { waitInput } from '#lib/reconciliation/task-schemas.ts';
import { reconciliationTasks } from '#lib/reconciliation/tasks.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { workflows } from '#lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '#lib/runtime/lambda.ts';
import { taskHandler } from '#lib/workflow/task-handler.ts';

export const createHandler = (deps: AppDeps) => taskHandler(deps, waitInput, awaitSignOff);
export const handler = lambdaTaskHandler(
  reconciliationTasks.awaitSignOff,
  { table, workflows },
  createHandler,
);
